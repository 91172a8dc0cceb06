#!/usr/bin/env sh
# Splits the Spring Boot jar into its layers (dependencies, spring-boot-loader, snapshot-dependencies,
# application) so that an image rebuild after a code change reuses the dependency layers.
# Used by the Dockerfile and by ContainerLayersIT, which runs it on the real jar in ./mvnw verify.
# Usage: extract-layers.sh <jar> <destination>
set -eu
jar="$1"
destination="$2"
java -Djarmode=tools -jar "$jar" extract --layers --destination "$destination"
for layer in dependencies spring-boot-loader snapshot-dependencies application; do
  [ -d "$destination/$layer" ] || { echo "layer $layer missing from $jar" >&2; exit 1; }
done
