# shellcheck shell=bash
# The bare Quarkus app, wgmon's floor in the benches (bench/run.sh, bench/history.sh): wgmon's Quarkus
# extensions, application.properties, launcher and jvm.options, and one REST resource of its own:
#   GET /hello                     "hello"
#   GET /api/peers/{key}/sessions  the bytes of $BARE_ANSWERS/first.json, or of next.json with a cursor
#                                  (answers taken from wgmon, so a client of wgmon's API gets the same bytes)
# Sourced from the repository's root. bare_quarkus_build sets BARE_APP to the folder of its launcher
# (BARE_APP/wgmon), built once into ${BARE_CACHE:-/var/tmp/wgmon-bare}/<hash> and reused while the hash of
# what goes into it (this file, the pom's Quarkus version and extensions, the properties, launcher and flags)
# stays the same. Logs through the caller's `log` if it has one.

bare_quarkus_build() {
  local version deps key cache tmp
  version=$(sed -n 's:.*<quarkus.platform.version>\(.*\)</quarkus.platform.version>.*:\1:p' pom.xml)
  deps=$(sed -n '/<dependencies>/,/<\/dependencies>/p' pom.xml | awk '
    /<dependency>/ {d = ""; keep = 0} {d = d $0 "\n"} /<artifactId>quarkus-/ && !/junit/ {keep = 1}
    /<\/dependency>/ && keep {printf "%s", d}')
  key=$( { cat "${BASH_SOURCE[0]}"; echo "$version"; echo "$deps"; cat src/main/resources/application.properties \
    src/main/bin/wgmon src/main/bin/jvm.options; } | sha256sum | cut -c1-16)
  cache=${BARE_CACHE:-/var/tmp/wgmon-bare}
  BARE_APP=$cache/$key/target/quarkus-app
  if [ -x "$BARE_APP/wgmon" ]; then
    return 0
  fi
  tmp=$cache/$key.building.$$
  rm -rf "$tmp"
  mkdir -p "$tmp/src/main/java/bare" "$tmp/src/main/resources"
  cat > "$tmp/pom.xml" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>bench</groupId><artifactId>bare</artifactId><version>1</version>
  <properties><maven.compiler.release>17</maven.compiler.release><project.build.sourceEncoding>UTF-8</project.build.sourceEncoding></properties>
  <dependencyManagement><dependencies><dependency><groupId>io.quarkus</groupId><artifactId>quarkus-bom</artifactId>
    <version>$version</version><type>pom</type><scope>import</scope></dependency></dependencies></dependencyManagement>
  <dependencies>
$deps
  </dependencies>
  <build><plugins><plugin><groupId>io.quarkus</groupId><artifactId>quarkus-maven-plugin</artifactId><version>$version</version>
    <extensions>true</extensions><executions><execution><goals><goal>build</goal></goals></execution></executions></plugin></plugins></build>
</project>
POM
  cat > "$tmp/src/main/java/bare/Bare.java" <<'JAVA'
package bare;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Optional;

@Path("/")
public class Bare {
    private final byte[] first;
    private final byte[] next;

    public Bare(@ConfigProperty(name = "bare.answers") Optional<java.nio.file.Path> answers) {
        this.first = answers.map(dir -> read(dir.resolve("first.json"))).orElse(null);
        this.next = answers.map(dir -> read(dir.resolve("next.json"))).orElse(null);
    }

    @GET
    @Path("hello")
    public String hello() {
        return "hello";
    }

    @GET
    @Path("api/peers/{key}/sessions")
    @Produces(MediaType.APPLICATION_JSON)
    public byte[] sessions(@QueryParam("cursor") String cursor) {
        byte[] answer = cursor == null ? first : next;
        if (answer == null) {
            throw new NotFoundException();
        }
        return answer;
    }

    private static byte[] read(java.nio.file.Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
JAVA
  cp src/main/resources/application.properties "$tmp/src/main/resources/"
  if declare -F log > /dev/null; then log "building the bare Quarkus app (same extensions and properties) in $cache/$key"
  else echo "building the bare Quarkus app (same extensions and properties) in $cache/$key" >&2; fi
  ./mvnw -B -q -ntp ${MVN_OFFLINE:+-o} -f "$tmp/pom.xml" package -DskipTests > "$tmp/build.log" 2>&1 \
    || { cat "$tmp/build.log"; rm -rf "$tmp"; return 1; }
  cp src/main/bin/wgmon src/main/bin/jvm.options "$tmp/target/quarkus-app/"
  chmod +x "$tmp/target/quarkus-app/wgmon"
  rm -rf "${cache:?}/$key"
  mv "$tmp" "$cache/$key"
}
