package kz.ikomek.vision.benchmarks;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What else ran on the machine during a measurement (it is shared: other people build and test on it): the load
 * average, the whole machine's busy share from {@code /proc/stat}, and the CPU of every other process from
 * {@code /proc/PID/stat}, taken at the start and at the end of the measured window. Linux only; elsewhere the
 * numbers are empty.
 */
public final class MachineLoad {

    private static final double TICKS_PER_SECOND = 100.0;   // USER_HZ, 100 on every Linux we run on

    private final long wallNanos = System.nanoTime();
    private final String loadAverage = Machine.loadAverage();
    private final long[] machineTicks = machineTicks();
    private final Map<Long, Process> processes = processes();

    private record Process(String name, long ticks) {
    }

    private MachineLoad() {
    }

    public static MachineLoad now() {
        return new MachineLoad();
    }

    /**
     * The window from {@code start} to now: load averages at both ends, the machine's busy share (all processes),
     * and the cores the busiest other processes used (not ours, nor the ones named in {@code ours}).
     */
    public static Map<String, Object> between(MachineLoad start, Set<Long> ours) {
        MachineLoad end = now();
        double seconds = (end.wallNanos - start.wallNanos) / 1e9;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("loadAverageBefore", start.loadAverage);
        m.put("loadAverageAfter", end.loadAverage);
        long total = end.machineTicks[0] - start.machineTicks[0];
        long idle = end.machineTicks[1] - start.machineTicks[1];
        m.put("machineBusyPercent", total > 0 ? Math.round(1000.0 * (total - idle) / total) / 10.0 : null);
        Map<String, Double> others = new HashMap<>();
        double othersCores = 0;
        long self = ProcessHandle.current().pid();
        for (var e : end.processes.entrySet()) {
            if (e.getKey() == self || ours.contains(e.getKey())) {
                continue;
            }
            Process before = start.processes.get(e.getKey());
            long used = e.getValue().ticks - (before == null ? 0 : before.ticks);
            if (used <= 0) {
                continue;
            }
            double cores = used / TICKS_PER_SECOND / seconds;
            othersCores += cores;
            others.merge(e.getValue().name, cores, Double::sum);
        }
        m.put("otherProcessesCores", Math.round(othersCores * 100) / 100.0);
        Map<String, Double> top = new LinkedHashMap<>();
        others.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())).limit(6)
                .forEach(e -> top.put(e.getKey(), Math.round(e.getValue() * 100) / 100.0));
        m.put("busiestOtherProcessesCores", top);
        return m;
    }

    /** [all ticks, idle + iowait ticks] of the whole machine. */
    private static long[] machineTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    private static Map<Long, Process> processes() {
        Map<Long, Process> all = new HashMap<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString()
                .chars().allMatch(Character::isDigit))) {
            for (Path dir : dirs) {
                try {
                    String stat = Files.readString(dir.resolve("stat"));
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    List<String> f = List.of(stat.substring(close + 2).split(" "));
                    // after "(comm) ": state is field 0, utime field 11, stime field 12
                    long ticks = Long.parseLong(f.get(11)) + Long.parseLong(f.get(12));
                    all.put(Long.parseLong(dir.getFileName().toString()), new Process(stat.substring(open + 1, close), ticks));
                } catch (IOException | RuntimeException e) {
                    // the process ended meanwhile
                }
            }
        } catch (IOException e) {
            return all;
        }
        return all;
    }
}
