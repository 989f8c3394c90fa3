# Builds one service: docker build --build-arg MODULE=api-service (or archiver-worker) .
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY shared-model shared-model
COPY api-service api-service
COPY archiver-worker archiver-worker
COPY db db
ARG MODULE
RUN ./mvnw -q -B -DskipTests -pl "${MODULE}" -am package

FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
ARG MODULE
COPY --from=build /src/${MODULE}/target/${MODULE}.jar /app/service.jar
USER 1000
ENTRYPOINT ["java", "-jar", "/app/service.jar"]
