# Model Depot tasks. Get `just` here with:
#   npm install --prefix .tools --no-save --no-package-lock rust-just-linux-x64@1.57.0
#   alias just=$PWD/.tools/node_modules/rust-just-linux-x64/bin/just

# The whole test suite (what CI runs).
test:
    mvn -B verify

# The main job: the dashboard's demo (embedded origin on loopback, temporary store).
demo:
    ./jbang model-dashboard@. --demo

# Benchmarks against curl, aria2c and sha256sum; results in bench/results/.
bench:
    bench/run-all.sh

# Compile every script with JBang (checks //DEPS and //SOURCES resolve).
build-scripts:
    for s in scripts/*.java tui/*.java; do ./jbang build "$s" || exit 1; done

# Startup check on the shipped registry.
check:
    ./jbang check-models@.

# Rewrite the explicit //SOURCES lists (package-info.java, scripts) after adding or moving a file in lib/.
sources:
    java tests/dev/modeldepot/build/SourceLists.java
