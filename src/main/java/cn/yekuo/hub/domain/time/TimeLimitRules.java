package cn.yekuo.hub.domain.time;

import cn.yekuo.hub.domain.Unit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The versioned time-limit table (时限规则), data in {@code timelimits/default.yaml} or an external
 * file that replaces it. Each case uses the rule set in force on the date it was accepted (受理).
 */
public final class TimeLimitRules {

    /** Responsible code for the supply station (供电所) of the case's area; stations are configured, not a Unit. */
    public static final String SUPPLY_STATION = "supply-station";
    static final String DEFAULT_RESOURCE = "timelimits/default.yaml";

    private static final Set<String> ROOT_KEYS = Set.of("ruleSets");
    private static final Set<String> SET_KEYS = Set.of("name", "effectiveFrom", "warning", "rules", "schemeValidityMonths",
            "deduction", "nonCooperationDeduction");
    private static final Set<String> ROW_KEYS = Set.of("node", "sources", "limit", "days", "responsible", "warning", "deduction");
    private static final Set<String> WARNING_KEYS = Set.of("remainingPercent", "atLeastWorkingDays");

    private final List<RuleSet> ruleSets;

    private TimeLimitRules(List<RuleSet> ruleSets) {
        this.ruleSets = ruleSets.stream().sorted(Comparator.comparing(RuleSet::effectiveFrom)).toList();
    }

    /** The table shipped with the hub. */
    public static TimeLimitRules loadDefault() {
        try (InputStream in = TimeLimitRules.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + DEFAULT_RESOURCE);
            }
            return read(YamlDocument.read("classpath:" + DEFAULT_RESOURCE, in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The table of {@code externalFile} when given (it replaces the default entirely), else the default. */
    public static TimeLimitRules load(Path externalFile) {
        if (externalFile == null) {
            return loadDefault();
        }
        try (InputStream in = Files.newInputStream(externalFile)) {
            return read(YamlDocument.read(externalFile.toAbsolutePath().toString(), in));
        } catch (IOException e) {
            throw new InvalidTimeDataException(externalFile.toAbsolutePath().toString(), "cannot read: " + e, e);
        }
    }

    /** The rule set in force for a case accepted on {@code acceptedOn}: the latest one effective by then. */
    public Optional<RuleSet> ruleSetInForce(LocalDate acceptedOn) {
        RuleSet inForce = null;
        for (RuleSet set : ruleSets) {
            if (!set.effectiveFrom().isAfter(acceptedOn)) {
                inForce = set;
            }
        }
        return Optional.ofNullable(inForce);
    }

    /** The limit of {@code node} for a case with {@code powerSources} (1 or 2) accepted on {@code acceptedOn}; empty when none applies. */
    public Optional<TimeLimitRule> ruleFor(Node node, int powerSources, LocalDate acceptedOn) {
        if (powerSources != 1 && powerSources != 2) {
            throw new IllegalArgumentException("powerSources must be 1 or 2: " + powerSources);
        }
        return ruleSetInForce(acceptedOn).flatMap(set -> set.ruleFor(node, powerSources));
    }

    /** How long a scheme notified for a case accepted on {@code acceptedOn} stays valid, in months. */
    public int schemeValidityMonths(LocalDate acceptedOn) {
        return ruleSetInForce(acceptedOn).map(RuleSet::schemeValidityMonths).orElse(RuleSet.DEFAULT_SCHEME_VALIDITY_MONTHS);
    }

    /**
     * Points for "did not cooperate as asked" (clause 2) on a case accepted on {@code acceptedOn}: the rule set's
     * {@code nonCooperationDeduction}; the first set's when the case predates every set.
     */
    public BigDecimal nonCooperationDeduction(LocalDate acceptedOn) {
        return ruleSetInForce(acceptedOn).orElse(ruleSets.get(0)).nonCooperationDeduction();
    }

    /** All rule sets, oldest first. */
    public List<RuleSet> ruleSets() {
        return ruleSets;
    }

    private static TimeLimitRules read(YamlDocument doc) {
        Map<String, Object> root = doc.rootMap();
        doc.onlyKeys(root, ROOT_KEYS, "time limits");
        List<RuleSet> sets = new ArrayList<>();
        Set<LocalDate> dates = new HashSet<>();
        for (Object item : doc.list(doc.required(root, "ruleSets", "time limits"), "ruleSets")) {
            RuleSet set = readSet(doc, doc.map(item, "a rule set"));
            if (!dates.add(set.effectiveFrom())) {
                throw doc.error("rule set '" + set.name() + "': another rule set is effective from " + set.effectiveFrom());
            }
            sets.add(set);
        }
        if (sets.isEmpty()) {
            throw doc.error("no rule sets");
        }
        return new TimeLimitRules(sets);
    }

    private static RuleSet readSet(YamlDocument doc, Map<String, Object> map) {
        String name = String.valueOf(doc.required(map, "name", "rule set"));
        String where = "rule set '" + name + "'";
        doc.onlyKeys(map, SET_KEYS, where);
        LocalDate effectiveFrom = doc.date(doc.required(map, "effectiveFrom", where), where + " effectiveFrom");
        WarningThreshold setWarning = readWarning(doc, map.get("warning"), WarningThreshold.DEFAULT, where);
        BigDecimal setDeduction = map.containsKey("deduction")
                ? doc.points(map.get("deduction"), where + " deduction") : RuleSet.DEFAULT_DEDUCTION;
        BigDecimal nonCooperation = map.containsKey("nonCooperationDeduction")
                ? doc.points(map.get("nonCooperationDeduction"), where + " nonCooperationDeduction") : setDeduction;
        List<TimeLimitRule> rules = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Object item : doc.list(doc.required(map, "rules", where), where + " rules")) {
            Map<String, Object> row = doc.map(item, where + " row");
            doc.onlyKeys(row, ROW_KEYS, where + " row " + row);
            String rowWhere = where + " row " + row;
            try {
                Node node = doc.enumValue(Node.class, doc.required(row, "node", rowWhere), rowWhere + " node");
                Sources sources = Sources.fromYaml(row.get("sources"));
                int limit = doc.integer(doc.required(row, "limit", rowWhere), rowWhere + " limit");
                DayKind days = doc.enumValue(DayKind.class, doc.required(row, "days", rowWhere), rowWhere + " days");
                List<String> responsible = readResponsible(doc, row.get("responsible"), rowWhere);
                WarningThreshold warning = readWarning(doc, row.get("warning"), setWarning, rowWhere);
                BigDecimal deduction = row.containsKey("deduction")
                        ? doc.points(row.get("deduction"), rowWhere + " deduction") : setDeduction;
                if (!seen.add(node + "/" + sources)) {
                    throw doc.error(rowWhere + ": a second row for " + node + " with sources " + sources);
                }
                rules.add(new TimeLimitRule(node, sources, limit, days, responsible, warning, name, effectiveFrom, deduction));
            } catch (IllegalArgumentException e) {
                throw doc.error(rowWhere + ": " + e.getMessage());
            }
        }
        int validity = map.containsKey("schemeValidityMonths")
                ? doc.integer(map.get("schemeValidityMonths"), where + " schemeValidityMonths") : RuleSet.DEFAULT_SCHEME_VALIDITY_MONTHS;
        if (validity <= 0) {
            throw doc.error(where + ": schemeValidityMonths must be positive: " + validity);
        }
        return new RuleSet(name, effectiveFrom, rules, validity, setDeduction, nonCooperation);
    }

    /** A non-empty list of unit codes; a typo must fail here, not when the assessment is charged. */
    private static List<String> readResponsible(YamlDocument doc, Object value, String where) {
        List<String> codes = new ArrayList<>();
        for (Object code : doc.list(value, where + " responsible")) {
            String text = String.valueOf(code);
            if (!SUPPLY_STATION.equals(text)) {
                Unit.fromCode(text);
            }
            codes.add(text);
        }
        if (codes.isEmpty()) {
            throw doc.error(where + ": 'responsible' needs at least one unit code");
        }
        return codes;
    }

    private static WarningThreshold readWarning(YamlDocument doc, Object value, WarningThreshold fallback, String where) {
        if (value == null) {
            return fallback;
        }
        Map<String, Object> map = doc.map(value, where + " warning");
        doc.onlyKeys(map, WARNING_KEYS, where + " warning");
        int percent = map.containsKey("remainingPercent")
                ? doc.integer(map.get("remainingPercent"), where + " remainingPercent") : fallback.remainingPercent();
        int atLeast = map.containsKey("atLeastWorkingDays")
                ? doc.integer(map.get("atLeastWorkingDays"), where + " atLeastWorkingDays") : fallback.atLeastWorkingDays();
        try {
            return new WarningThreshold(percent, atLeast);
        } catch (IllegalArgumentException e) {
            throw doc.error(where + " warning: " + e.getMessage());
        }
    }
}
