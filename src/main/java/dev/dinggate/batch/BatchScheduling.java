package dev.dinggate.batch;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

/**
 * db-scheduler on the gateway's database: one task instance per batch, worked through a chunk at a time
 * and rescheduled at once while items remain, so that a batch moves to whichever replica is free, and one
 * whose replica stopped heartbeating is revived elsewhere. Built from db-scheduler's core rather than its
 * Boot starter, whose settings live under {@code db-scheduler.*}: the gateway's are {@code gateway.batch.*}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BatchProperties.class)
class BatchScheduling {

    static final String TASK = "batch";

    /**
     * The scheduler, once built: a rescheduled chunk is due at once, and the scheduler is told so rather than
     * left to find it at its next poll.
     */
    private final AtomicReference<@Nullable Scheduler> built = new AtomicReference<>();

    @Bean
    CustomTask<Void> batchTask(BatchWorker worker) {
        return Tasks.custom(TASK, Void.class)
                .onDeadExecutionRevive()
                .onFailure(new FailureHandler.OnFailureRetryLater<>(Duration.ofSeconds(5)))
                .execute((instance, context) -> {
                    boolean more = worker.workOn(
                            UUID.fromString(instance.getId()),
                            () -> context.getSchedulerState().isShuttingDown());
                    return more
                            ? (complete, operations) -> {
                                operations.reschedule(complete, Instant.now());
                                Scheduler scheduler = built.get();
                                if (scheduler != null) {
                                    scheduler.triggerCheckForDueExecutions();
                                }
                            }
                            : new CompletionHandler.OnCompleteRemove<>();
                });
    }

    @Bean
    BatchScheduler batchScheduler(DataSource dataSource, CustomTask<Void> batchTask, BatchProperties properties) {
        Scheduler scheduler = Scheduler.create(
                        // Scheduling a batch joins the transaction that stores it: both or neither.
                        new TransactionAwareDataSourceProxy(dataSource), List.of(batchTask))
                .threads(properties.threads())
                .pollingInterval(properties.pollingInterval())
                .heartbeatInterval(properties.heartbeat())
                .missedHeartbeatsLimit(properties.missedHeartbeats())
                .schedulerName(new SchedulerName.Fixed(new SchedulerName.Hostname().getName() + "-"
                        + UUID.randomUUID().toString().substring(0, 8)))
                .enableImmediateExecution()
                .shutdownMaxWait(Duration.ofSeconds(30))
                .build();
        built.set(scheduler);
        return new BatchScheduler(scheduler, batchTask);
    }

    @Bean
    ApplicationListener<ApplicationReadyEvent> batchSchedulerStart(BatchScheduler scheduler) {
        return ready -> scheduler.start();
    }

    /** The scheduler, started once the gateway is ready and stopped before the database pool closes. */
    static final class BatchScheduler implements DisposableBean {

        private final Scheduler scheduler;
        private final CustomTask<Void> task;
        private final AtomicBoolean started = new AtomicBoolean();

        BatchScheduler(Scheduler scheduler, CustomTask<Void> task) {
            this.scheduler = scheduler;
            this.task = task;
        }

        void start() {
            if (started.compareAndSet(false, true)) {
                scheduler.start();
            }
        }

        /** Queues the batch for any replica; joins the caller's transaction. */
        void schedule(UUID batchId) {
            scheduler.schedule(task.instance(batchId.toString()), Instant.now());
        }

        /** Looks for due batches now (one just committed) instead of at the next poll. */
        void checkNow() {
            if (started.get()) {
                scheduler.triggerCheckForDueExecutions();
            }
        }

        @Override
        public void destroy() {
            if (started.compareAndSet(true, false)) {
                scheduler.stop();
            }
        }
    }
}
