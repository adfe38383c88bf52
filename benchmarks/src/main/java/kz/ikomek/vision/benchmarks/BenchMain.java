package kz.ikomek.vision.benchmarks;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code ikomek-vision bench {decode|inference|bridge|e2e|jmh} [--json OUT] ...}: each benchmark is a class with a
 * {@code main(String[])} in its own package, so that the engineers of each stage own their harness.
 */
public final class BenchMain {

    private static final Map<String, String> BENCHES = new LinkedHashMap<>();

    static {
        BENCHES.put("decode", "kz.ikomek.vision.benchmarks.decode.DecodeBench");
        BENCHES.put("inference", "kz.ikomek.vision.benchmarks.inference.InferenceBench");
        BENCHES.put("bridge", "kz.ikomek.vision.benchmarks.bridge.BridgeBench");
        BENCHES.put("e2e", "kz.ikomek.vision.benchmarks.e2e.EndToEndBench");
        BENCHES.put("sessions", "kz.ikomek.vision.benchmarks.decode.SessionsBench");
        BENCHES.put("soak", "kz.ikomek.vision.benchmarks.decode.SoakBench");
        BENCHES.put("login-flood", "kz.ikomek.vision.benchmarks.console.LoginFloodBench");
        BENCHES.put("jmh", "kz.ikomek.vision.benchmarks.jmh.JmhMain");
    }

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !BENCHES.containsKey(args[0])) {
            System.err.println("usage: ikomek-vision bench {" + String.join("|", BENCHES.keySet()) + "} [--json OUT]");
            System.exit(2);
        }
        Class<?> bench;
        try {
            bench = Class.forName(BENCHES.get(args[0]));
        } catch (ClassNotFoundException e) {
            System.err.println("ikomek-vision bench " + args[0] + ": not built yet");
            System.exit(1);
            return;
        }
        Method main = bench.getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException bad) {   // a bad option: say which, no stack trace
                System.err.println("ikomek-vision bench " + args[0] + ": " + bad.getMessage());
                System.exit(2);
            }
            throw e;
        }
    }
}
