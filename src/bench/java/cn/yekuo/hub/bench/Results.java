package cn.yekuo.hub.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The figures of one benchmark run, each beside the peer measured in the same run; printed and written as JSON. */
public final class Results {

    /** One figure: {@code ratio = value / peerValue} (null when there is no peer); {@code goal} bounds the ratio, or is null. */
    public record Figure(String name, String unit, double value, String peer, Double peerValue, Double ratio, String note, Goal goal) {

        /** Whether the ratio meets the goal; null without a goal or a ratio. */
        public Boolean met() {
            return goal == null || ratio == null ? null : goal.metBy(ratio);
        }
    }

    /** A goal of issue 19 on a figure's ratio: {@code {"max": x}} or {@code {"min": x}} in results.json. */
    public record Goal(String bound, double limit) {

        public static Goal max(double limit) {
            return new Goal("max", limit);
        }

        public static Goal min(double limit) {
            return new Goal("min", limit);
        }

        boolean metBy(double ratio) {
            return bound.equals("max") ? ratio <= limit : ratio >= limit;
        }

        @Override
        public String toString() {
            return (bound.equals("max") ? "<= " : ">= ") + limit;
        }
    }

    private final List<Figure> figures = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public synchronized Figure add(String name, String unit, double value, String peer, Double peerValue, String note) {
        return add(name, unit, value, peer, peerValue, note, null);
    }

    public synchronized Figure add(String name, String unit, double value, String peer, Double peerValue, String note, Goal goal) {
        Double ratio = peerValue == null || peerValue == 0 ? null : value / peerValue;
        Figure f = new Figure(name, unit, round(value), peer, peerValue == null ? null : round(peerValue),
                ratio == null ? null : Math.round(ratio * 1000) / 1000.0, note, goal);
        figures.add(f);
        System.out.printf(Locale.ROOT, "[bench] %-58s %12.2f %-10s %s%s%n", name, value, unit,
                peer == null ? "" : String.format(Locale.ROOT, "vs %s %.2f (ratio %.3f)", peer, peerValue, ratio),
                goal == null ? "" : " goal " + goal + (Boolean.TRUE.equals(f.met()) ? " met" : " MISSED"));
        return f;
    }

    public synchronized Figure add(String name, String unit, double value) {
        return add(name, unit, value, null, null, null);
    }

    public synchronized void note(String note) {
        notes.add(note);
        System.out.println("[bench] note: " + note);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    String table() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "| %-56s | %10s | %-8s | %-44s | %10s | %7s | %-14s |%n", "figure", "value", "unit", "peer (same run)", "peer value", "ratio", "goal (ratio)"));
        b.append("|").append("-".repeat(58)).append("|").append("-".repeat(12)).append("|").append("-".repeat(10)).append("|")
                .append("-".repeat(46)).append("|").append("-".repeat(12)).append("|").append("-".repeat(9)).append("|")
                .append("-".repeat(16)).append("|\n");
        for (Figure f : figures) {
            b.append(String.format(Locale.ROOT, "| %-56s | %10.2f | %-8s | %-44s | %10s | %7s | %-14s |%n", f.name(), f.value(), f.unit(),
                    f.peer() == null ? "" : f.peer(), f.peerValue() == null ? "" : String.format(Locale.ROOT, "%.2f", f.peerValue()),
                    f.ratio() == null ? "" : String.format(Locale.ROOT, "%.3f", f.ratio()),
                    f.goal() == null ? "" : f.goal() + (Boolean.TRUE.equals(f.met()) ? " met" : " **missed**")));
        }
        return b.toString();
    }

    void write(Path file, Map<String, Object> extra) throws Exception {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("date", OffsetDateTime.now().toString());
        root.put("cores", Runtime.getRuntime().availableProcessors());
        root.put("javaVersion", System.getProperty("java.version"));
        root.put("javaVm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        root.putAll(extra);
        List<Map<String, Object>> list = new ArrayList<>();
        for (Figure f : figures) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", f.name());
            m.put("unit", f.unit());
            m.put("value", f.value());
            m.put("peer", f.peer());
            m.put("peerValue", f.peerValue());
            m.put("ratio", f.ratio());
            m.put("cores", Runtime.getRuntime().availableProcessors());
            m.put("javaVersion", System.getProperty("java.version"));
            if (f.note() != null) {
                m.put("note", f.note());
            }
            if (f.goal() != null) {
                m.put("goal", Map.of(f.goal().bound(), f.goal().limit()));
                m.put("met", f.met());
            }
            list.add(m);
        }
        root.put("figures", list);
        root.put("notes", notes);
        Files.createDirectories(file.getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
    }
}
