package kz.ikomek.vision.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Which machine a result came from: absolute numbers mean nothing without it (every harness records it). */
public final class Machine {

    private Machine() {
    }

    public static Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpu", cpuModel());
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("memoryGB", Math.round(totalMemoryBytes() / 1e9));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("loadAverage", loadAverage());
        return m;
    }

    /** VmRSS of this process: heap, JIT, and the native memory of FFmpeg, OpenCV, ONNX Runtime and RocksDB. */
    public static long residentBytes() {
        return procField(Path.of("/proc/self/status"), "VmRSS:") * 1024;
    }

    private static long totalMemoryBytes() {
        return procField(Path.of("/proc/meminfo"), "MemTotal:") * 1024;
    }

    private static long procField(Path file, String field) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** The load averages when measured: on a shared machine the neighbours' load explains the spread. */
    public static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    public static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
