# syntax=docker/dockerfile:1
# yekuo-hub: build with Maven on JDK 17, run on a JRE 17 with the Chinese fonts of the PDF documents.
#   docker build -t yekuo-hub .        (or: docker compose up --build, see docker-compose.yml)

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# dependencies first, so a source change does not download them again
COPY pom.xml .
RUN --mount=type=cache,target=/root/.m2 mvn -B -q dependency:go-offline || true
COPY src ./src
# the Camel routes are packaged in the jar (classpath:routes/*.yaml) from the top-level routes/ folder
COPY routes ./routes
RUN --mount=type=cache,target=/root/.m2 mvn -B -DskipTests package

FROM eclipse-temurin:17-jre
# fonts-arphic-uming (UMingCN, body text) and fonts-wqy-zenhei (WenQuanYiZenHei, headings): the TrueType
# collections the hub embeds in its Chinese PDFs (STACK-NOTES); curl for the health check
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-arphic-uming fonts-wqy-zenhei curl \
 && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 yekuo \
 && useradd --system --uid 10001 --gid yekuo --home-dir /app --shell /usr/sbin/nologin yekuo \
 && mkdir -p /app /var/lib/yekuo \
 && chown yekuo:yekuo /var/lib/yekuo

WORKDIR /app
# one jar from the pom (yekuo-hub-<version>.jar); the .jar.original of the repackaging does not match
COPY --from=build /src/target/yekuo-hub-*.jar /app/yekuo-hub.jar
# extracted jar + AppCDS archive from a training start: the hub starts in about half the time (docs/benchmarks)
COPY deploy/class-data-sharing.sh deploy/jit-directives.json /app/
RUN sh /app/class-data-sharing.sh /app/yekuo-hub.jar /app/hub \
 && rm /app/yekuo-hub.jar /app/class-data-sharing.sh /app/jit-directives.json

ENV YK_DATA_DIR=/var/lib/yekuo \
    SERVER_ADDRESS=0.0.0.0 \
    JAVA_OPTS="-XX:MaxRAMPercentage=75"
VOLUME ["/var/lib/yekuo"]
EXPOSE 8080

USER yekuo:yekuo

# /actuator/health is the one unauthenticated endpoint
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=5 \
  CMD curl -fsS http://127.0.0.1:8080/actuator/health || exit 1

# mail.mime.decodetext.strict=false: Chinese subjects whose RFC 2047 words split a GB2312 character
# -Xshare:auto: should the archive not match (another JDK), the JVM starts without it instead of failing
# jit-directives.json: the optimising compiler only for the libraries doing the byte work (mail, PDF, hashing, JDBC),
# the client compiler for the rest; all-optimising was about 40 % of the CPU to ready, client-only left the mail
# server and documents slow (docs/benchmarks/19-round-7.md, issue 19)
ENTRYPOINT ["sh", "-c", "exec java -XX:SharedArchiveFile=/app/hub/yekuo-hub.jsa -Xshare:auto -XX:+UnlockDiagnosticVMOptions -XX:CompilerDirectivesFile=/app/hub/jit-directives.json -Dmail.mime.decodetext.strict=false -Dfile.encoding=UTF-8 $JAVA_OPTS -jar /app/hub/yekuo-hub.jar \"$@\"", "yekuo-hub"]
