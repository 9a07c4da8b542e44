package cn.yekuo.hub.domain.time;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Working days (工作日) per the State Council's holiday notices, one YAML file per year.
 *
 * <p>Years come from the classpath ({@code calendar/<year>.yaml}) and, optionally, an override
 * directory whose {@code <year>.yaml} replaces the classpath file of that year (a notice issued or
 * corrected after release). A year without a file falls back to Monday–Friday; such years are
 * reported by {@link #missingYears(int, int)} and {@link #yearsUsedWithoutData()} so the app can say
 * so loudly. Immutable apart from that record of fallbacks; safe to share between threads.
 */
public final class WorkingCalendar {

    /** Classpath files are found by probing these years: a jar cannot be listed portably. */
    static final int FIRST_PROBED_YEAR = 1990;
    static final int LAST_PROBED_YEAR = 2100;
    private static final Pattern YEAR_FILE = Pattern.compile("(\\d{4})\\.yaml");

    private final SortedMap<Integer, CalendarYear> years;
    private final Set<Integer> yearsUsedWithoutData = ConcurrentHashMap.newKeySet();

    private WorkingCalendar(Map<Integer, CalendarYear> years) {
        this.years = Collections.unmodifiableSortedMap(new TreeMap<>(years));
    }

    /** The calendar shipped with the hub, without overrides. */
    public static WorkingCalendar fromClasspath() {
        return load(null);
    }

    /**
     * The shipped calendar with the files of {@code overrideDirectory} replacing whole years.
     * A null or not (yet) existing directory means no overrides, so a default path can be configured.
     *
     * @throws InvalidTimeDataException naming the file and entry when any file is invalid
     */
    public static WorkingCalendar load(Path overrideDirectory) {
        Map<Integer, CalendarYear> years = new TreeMap<>();
        ClassLoader loader = WorkingCalendar.class.getClassLoader();
        for (int year = FIRST_PROBED_YEAR; year <= LAST_PROBED_YEAR; year++) {
            String resource = "calendar/" + year + ".yaml";
            try (InputStream in = loader.getResourceAsStream(resource)) {
                if (in != null) {
                    years.put(year, CalendarYear.read(YamlDocument.read("classpath:" + resource, in), year));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (overrideDirectory != null && Files.exists(overrideDirectory)) {
            years.putAll(readDirectory(overrideDirectory));
        }
        return new WorkingCalendar(years);
    }

    /** A calendar of exactly these years, e.g. for tests; every other year is Monday–Friday. */
    public static WorkingCalendar of(Collection<CalendarYear> years) {
        Map<Integer, CalendarYear> byYear = new TreeMap<>();
        years.forEach(y -> byYear.put(y.year(), y));
        return new WorkingCalendar(byYear);
    }

    private static Map<Integer, CalendarYear> readDirectory(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new InvalidTimeDataException(directory.toString(), "calendar override is not a directory");
        }
        Map<Integer, CalendarYear> years = new TreeMap<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                Matcher m = YEAR_FILE.matcher(name);
                if (m.matches()) {
                    int year = Integer.parseInt(m.group(1));
                    try (InputStream in = Files.newInputStream(file)) {
                        years.put(year, CalendarYear.read(YamlDocument.read(file.toAbsolutePath().toString(), in), year));
                    }
                } else if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                    // A misnamed file would otherwise be ignored and its year silently fall back.
                    throw new InvalidTimeDataException(file.toAbsolutePath().toString(),
                            "calendar files must be named <year>.yaml, e.g. 2027.yaml");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return years;
    }

    /** Whether {@code day} is a working day; a year without data falls back to Monday–Friday. */
    public boolean isWorkingDay(LocalDate day) {
        CalendarYear year = years.get(day.getYear());
        if (year == null) {
            yearsUsedWithoutData.add(day.getYear());
            return !CalendarYear.isWeekend(day);
        }
        return year.isWorkingDay(day);
    }

    /** The {@code n}-th working day after {@code start}; {@code start} itself is not counted, n = 0 gives start. */
    public LocalDate addWorkingDays(LocalDate start, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative: " + n);
        }
        LocalDate day = start;
        for (int counted = 0; counted < n; ) {
            day = day.plusDays(1);
            if (isWorkingDay(day)) {
                counted++;
            }
        }
        return day;
    }

    /** Working days in (fromExclusive, toInclusive]; 0 when both are the same day. */
    public int workingDaysBetween(LocalDate fromExclusive, LocalDate toInclusive) {
        if (toInclusive.isBefore(fromExclusive)) {
            throw new IllegalArgumentException(toInclusive + " is before " + fromExclusive);
        }
        int count = 0;
        for (LocalDate day = fromExclusive.plusDays(1); !day.isAfter(toInclusive); day = day.plusDays(1)) {
            if (isWorkingDay(day)) {
                count++;
            }
        }
        return count;
    }

    /** Whether the notice of {@code year} is loaded. */
    public boolean hasYear(int year) {
        return years.containsKey(year);
    }

    public SortedSet<Integer> loadedYears() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(years.keySet()));
    }

    /** Years in [fromYear, toYear] without a notice, e.g. (this year, next year) for health. */
    public SortedSet<Integer> missingYears(int fromYear, int toYear) {
        SortedSet<Integer> missing = new TreeSet<>();
        for (int year = fromYear; year <= toYear; year++) {
            if (!hasYear(year)) {
                missing.add(year);
            }
        }
        return Collections.unmodifiableSortedSet(missing);
    }

    /** Years for which some computation already fell back to Monday–Friday since loading. */
    public SortedSet<Integer> yearsUsedWithoutData() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(yearsUsedWithoutData));
    }

    /** The loaded notice of {@code year}, with its source and file location. */
    public Optional<CalendarYear> year(int year) {
        return Optional.ofNullable(years.get(year));
    }
}
