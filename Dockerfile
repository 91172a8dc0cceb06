# The DingTalk account gateway. Build: docker build -t dingtalk-gateway .
# Optional AOT cache from a training run (faster start): docker build --build-arg AOT_CACHE=true ...

FROM eclipse-temurin:25-jdk AS build
WORKDIR /workspace
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -q dependency:go-offline
COPY src src
COPY docs docs
COPY docker docker
RUN ./mvnw -B -q package -DskipTests \
    && cp target/dingtalk-account-gateway-*.jar gateway.jar \
    && sh docker/extract-layers.sh gateway.jar extracted

FROM eclipse-temurin:25-jre
ARG AOT_CACHE=false
RUN groupadd --system --gid 10001 gateway \
    && useradd --system --uid 10001 --gid gateway --home-dir /application --shell /usr/sbin/nologin gateway
WORKDIR /application
# Least-changing layers first, so a code change rebuilds only the last one.
COPY --from=build /workspace/extracted/dependencies/ ./
COPY --from=build /workspace/extracted/spring-boot-loader/ ./
COPY --from=build /workspace/extracted/snapshot-dependencies/ ./
COPY --from=build /workspace/extracted/application/ ./
# The training run starts the sandbox (no external services) and stops once the context is ready.
RUN if [ "$AOT_CACHE" = "true" ]; then \
      java -XX:AOTCacheOutput=gateway.aot -Dspring.context.exit=onRefresh \
        -Dspring.datasource.url=jdbc:h2:mem:training -jar gateway.jar; \
    fi
USER 10001:10001
ENV SPRING_PROFILES_ACTIVE=production \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:InitialRAMPercentage=50 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8080 8081
ENTRYPOINT ["sh", "-c", "if [ -f gateway.aot ]; then exec java -XX:AOTCache=gateway.aot -jar gateway.jar; else exec java -jar gateway.jar; fi"]
