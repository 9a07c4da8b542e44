package cn.yekuo.hub.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import cn.yekuo.hub.assessment.AssessmentTrend;

/**
 * The geometry of one server-rendered line chart of on-time rates (report page): numbers only, every label is written
 * by the template ({@code th:text}, escaped). x: the months, oldest left; y: 0–100 %. A series is drawn as polylines
 * over the runs of months that have a rate; a month without completed clocks breaks the line.
 */
public record TrendChart(String id, String group, int width, int height, int left, int right, int top, int bottom,
                         List<Tick> ticks, List<XLabel> months, List<Line> lines) {

    public record Tick(int y, int percent) {
    }

    public record XLabel(String x, String month) {
    }

    public record Dot(String x, String y, AssessmentTrend.Point point, String percent) {
    }

    /** A month of the data table: the point and its rate as text (null when nothing completed). */
    public record Cell(AssessmentTrend.Point point, String percent) {
    }

    /** {@code index}: the colour class; {@code cells}: one per month for the data table. */
    public record Line(int index, AssessmentTrend.Series series, List<String> segments, List<Dot> dots, List<Cell> cells) {
    }

    static final int WIDTH = 760;
    static final int HEIGHT = 250;
    static final int LEFT = 52;
    static final int RIGHT = 740;
    static final int TOP = 14;
    static final int BOTTOM = 210;

    static TrendChart of(String id, String group, List<String> months, List<AssessmentTrend.Series> series) {
        List<Tick> ticks = new ArrayList<>();
        for (int p = 0; p <= 100; p += 25) {
            ticks.add(new Tick((int) Math.round(y(p / 100.0)), p));
        }
        List<XLabel> labels = new ArrayList<>();
        for (int i = 0; i < months.size(); i++) {
            labels.add(new XLabel(n(x(i, months.size())), months.get(i)));
        }
        List<Line> lines = new ArrayList<>();
        int index = 0;
        for (AssessmentTrend.Series s : series) {
            List<String> segments = new ArrayList<>();
            List<Dot> dots = new ArrayList<>();
            List<Cell> cells = new ArrayList<>();
            StringBuilder run = new StringBuilder();
            for (int i = 0; i < s.points().size(); i++) {
                AssessmentTrend.Point p = s.points().get(i);
                cells.add(new Cell(p, percent(p.rate())));
                if (p.rate() == null) {
                    flush(run, segments);
                    continue;
                }
                String x = n(x(i, months.size()));
                String y = n(y(p.rate()));
                run.append(run.length() == 0 ? "" : " ").append(x).append(',').append(y);
                dots.add(new Dot(x, y, p, percent(p.rate())));
            }
            flush(run, segments);
            lines.add(new Line(index++, s, segments, dots, cells));
        }
        return new TrendChart(id, group, WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM, ticks, labels, lines);
    }

    /** {@code 83.3%}; the table and the dots' titles use it. */
    static String percent(Double rate) {
        return rate == null ? null : String.format(Locale.ROOT, "%.1f%%", rate * 100);
    }

    private static void flush(StringBuilder run, List<String> segments) {
        if (run.length() > 0) {
            segments.add(run.toString());
            run.setLength(0);
        }
    }

    private static double x(int i, int n) {
        return n <= 1 ? (LEFT + RIGHT) / 2.0 : LEFT + 16 + i * (RIGHT - LEFT - 32) / (double) (n - 1);
    }

    private static double y(double rate) {
        return BOTTOM - rate * (BOTTOM - TOP);
    }

    private static String n(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
