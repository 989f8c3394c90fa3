# Builds one service: docker build --build-arg MODULE=api-service (or archiver-worker) .
# Built with Java 17, the oldest Java the services support; run on Java 25, the fastest:
# virtual threads serve the requests, and Netty (under Lettuce) is allowed sun.misc.Unsafe
# again, without which it frees every direct buffer through a JVM-wide handshake.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY shared-model shared-model
COPY api-service api-service
COPY archiver-worker archiver-worker
# Maven reads every module of the reactor, also those it does not build.
COPY reliability/pom.xml reliability/pom.xml
COPY db db
ARG MODULE
RUN ./mvnw -q -B -DskipTests -pl "${MODULE}" -am package

FROM eclipse-temurin:25-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
ARG MODULE
COPY --from=build /src/${MODULE}/target/${MODULE}.jar /app/service.jar
USER 1000
ENTRYPOINT ["java", "--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED", "-jar", "/app/service.jar"]
