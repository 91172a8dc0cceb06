package dev.dinggate.budget;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The budgets: shared through the database where {@code dingtalk.rate-limit.shared} says so, else in memory. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BudgetProperties.class)
class BudgetConfiguration {

    /** The shared budgets close their connection pool and threads with the context (inferred {@code close}). */
    @Bean
    Budgets budgets(
            BudgetProperties properties,
            ObjectProvider<DataSourceProperties> dataSource,
            ObjectProvider<Clock> clock,
            MeterRegistry meters) {
        Clock time = clock.getIfAvailable(Clock::systemUTC);
        if (!properties.shared()) {
            return new InMemoryBudgets(new LocalBudgets(new ClockTimeMeter(time)), properties.fallbackReplicas());
        }
        return new SharedBudgets(
                BudgetStore.dataSource(dataSource.getObject(), properties),
                new ClockTimeMeter(time),
                time,
                properties,
                meters);
    }
}
