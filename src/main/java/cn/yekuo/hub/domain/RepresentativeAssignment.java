package cn.yekuo.hub.domain;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Who takes a new case (一口对外, one representative per case): among the representatives covering the case's supply
 * station — or all of them when none covers it — the one with the fewest open cases; a tie goes to the smallest id.
 * The procedure names one customer representative per case but no rule to choose one: this rule is the hub's
 * (docs/domain.md).
 */
public final class RepresentativeAssignment {

    private RepresentativeAssignment() {
    }

    /** A representative as the rule sees them: an id and the supply stations they cover. */
    public record Candidate(String id, Set<String> stations) {
        public Candidate {
            Objects.requireNonNull(id, "id");
            stations = stations == null ? Set.of() : Set.copyOf(stations);
        }
    }

    /**
     * @param station   the case's supply station
     * @param roster    the representatives (at least one)
     * @param openCases open cases per representative id; a missing id has none
     * @return the id of the representative who takes the case
     */
    public static String choose(String station, List<Candidate> roster, Map<String, Integer> openCases) {
        if (roster == null || roster.isEmpty()) {
            throw new IllegalArgumentException("no representative to assign a case to");
        }
        List<Candidate> covering = roster.stream().filter(c -> c.stations().contains(station)).toList();
        List<Candidate> among = covering.isEmpty() ? roster : covering;
        return among.stream()
                .min(Comparator.<Candidate>comparingInt(c -> openCases.getOrDefault(c.id(), 0)).thenComparing(Candidate::id))
                .orElseThrow().id();
    }
}
