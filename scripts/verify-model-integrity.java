///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS info.picocli:picocli:4.7.7
//DEPS com.fasterxml.jackson.core:jackson-databind:2.18.2
//DEPS com.fasterxml.jackson.datatype:jackson-datatype-jsr310:2.18.2
//DEPS commons-codec:commons-codec:1.18.0
//SOURCES ../lib/dev/modeldepot/cli/*.java
//SOURCES ../lib/dev/modeldepot/core/*.java
//SOURCES ../lib/dev/modeldepot/registry/*.java
//SOURCES ../lib/dev/modeldepot/download/*.java
//SOURCES ../lib/dev/modeldepot/verify/*.java
//SOURCES ../lib/dev/modeldepot/store/*.java
//SOURCES ../lib/dev/modeldepot/queue/*.java
//SOURCES ../lib/dev/modeldepot/service/*.java
//FILES registry/model-registry.json=../registry/model-registry.json

/** Entry point; everything happens in dev.modeldepot.verify. */
class VerifyModelIntegrity {
    public static void main(String... args) {
        dev.modeldepot.cli.Cli.main(new dev.modeldepot.cli.VerifyCommand(), args);
    }
}
