package dev.dinggate.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Every body the API answers is JSON, as the README says. Spring registers a YAML converter whenever
 * Jackson's YAML module is on the class path (springdoc brings it for {@code /v3/api-docs.yaml}, which
 * writes its YAML itself); without this, {@code Accept: application/yaml} would get a YAML answer.
 * With it, such a request is answered 406 {@code request.not-acceptable}.
 */
@Configuration(proxyBeanMethods = false)
class JsonOnlyConfiguration implements WebMvcConfigurer {

    @Override
    public void configureMessageConverters(HttpMessageConverters.ServerBuilder converters) {
        converters.configureMessageConvertersList(list -> list.removeIf(
                converter -> converter.getSupportedMediaTypes().stream().anyMatch(JsonOnlyConfiguration::isYaml)));
    }

    private static boolean isYaml(MediaType type) {
        return type.getSubtype().contains("yaml");
    }
}
