package cn.yekuo.hub.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import cn.yekuo.hub.domain.RepresentativeAssignment.Candidate;

/** Who takes a new case: the station's representatives first, then the least loaded, ties by id (docs/domain.md). */
class RepresentativeAssignmentProperties {

    private static final List<String> STATIONS = List.of("dongjiao", "xijiao", "chengqu", "nanjiao");

    // ------------------------------------------------------------------ examples

    @Test
    void the_station_s_representative_takes_the_case_even_when_busier_than_the_others() {
        List<Candidate> roster = List.of(new Candidate("wangmin", Set.of("dongjiao")), new Candidate("lihua", Set.of("xijiao")));
        assertThat(RepresentativeAssignment.choose("xijiao", roster, Map.of("lihua", 9, "wangmin", 0))).isEqualTo("lihua");
        assertThat(RepresentativeAssignment.choose("dongjiao", roster, Map.of("lihua", 0, "wangmin", 9))).isEqualTo("wangmin");
    }

    @Test
    void among_those_covering_the_station_the_least_loaded_then_the_smallest_id() {
        List<Candidate> roster = List.of(new Candidate("c", Set.of("xijiao")), new Candidate("b", Set.of("xijiao")),
                new Candidate("a", Set.of("dongjiao")));
        assertThat(RepresentativeAssignment.choose("xijiao", roster, Map.of("c", 1, "b", 2))).isEqualTo("c");
        assertThat(RepresentativeAssignment.choose("xijiao", roster, Map.of("c", 2, "b", 2))).isEqualTo("b");
        assertThat(RepresentativeAssignment.choose("xijiao", roster, Map.of())).as("no open cases count as none").isEqualTo("b");
    }

    @Test
    void a_station_nobody_covers_goes_to_the_least_loaded_of_all() {
        List<Candidate> roster = List.of(new Candidate("wangmin", Set.of("dongjiao")), new Candidate("lihua", Set.of("xijiao")));
        assertThat(RepresentativeAssignment.choose("chengqu", roster, Map.of("wangmin", 3, "lihua", 1))).isEqualTo("lihua");
        assertThat(RepresentativeAssignment.choose("chengqu", roster, Map.of("wangmin", 1, "lihua", 1))).isEqualTo("lihua");
    }

    @Test
    void an_empty_roster_assigns_nobody() {
        assertThatThrownBy(() -> RepresentativeAssignment.choose("xijiao", List.of(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------------ properties

    record Scenario(List<Candidate> roster, Map<String, Integer> load, String station) {
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Set<String>> covers = Arbitraries.of(STATIONS).set().ofMaxSize(2);
        Arbitrary<List<Candidate>> roster = Arbitraries.strings().withCharRange('a', 'e').ofLength(2).set().ofMinSize(1).ofMaxSize(6)
                .flatMap(ids -> covers.list().ofSize(ids.size()).map(cs -> {
                    List<Candidate> list = new ArrayList<>();
                    int i = 0;
                    for (String id : ids) {
                        list.add(new Candidate(id, cs.get(i++)));
                    }
                    return list;
                }));
        return roster.flatMap(r -> Combinators.combine(
                Arbitraries.integers().between(0, 4).list().ofSize(r.size()),
                Arbitraries.of(STATIONS)).as((loads, station) -> {
                    Map<String, Integer> load = new HashMap<>();
                    for (int i = 0; i < r.size(); i++) {
                        load.put(r.get(i).id(), loads.get(i));
                    }
                    return new Scenario(r, load, station);
                }));
    }

    @Property(tries = 1000)
    void the_chosen_one_covers_the_station_whenever_anyone_does_and_nobody_eligible_is_less_loaded_or_ties_with_a_smaller_id(
            @ForAll("scenarios") Scenario s) {
        String chosen = RepresentativeAssignment.choose(s.station(), s.roster(), s.load());

        Candidate c = s.roster().stream().filter(x -> x.id().equals(chosen)).findFirst().orElseThrow();
        List<Candidate> covering = s.roster().stream().filter(x -> x.stations().contains(s.station())).toList();
        List<Candidate> eligible = covering.isEmpty() ? s.roster() : covering;
        assertThat(eligible).as("chosen among the station's representatives, else among all").contains(c);
        for (Candidate other : eligible) {
            int mine = s.load().get(chosen);
            int theirs = s.load().get(other.id());
            assertThat(mine).as("%s has fewer open cases than %s", other.id(), chosen).isLessThanOrEqualTo(theirs);
            if (mine == theirs) {
                assertThat(chosen.compareTo(other.id())).as("tie with %s goes to the smaller id", other.id()).isLessThanOrEqualTo(0);
            }
        }
    }
}
