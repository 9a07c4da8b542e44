package cn.yekuo.hub.cases;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.config.StartupProblem;
import cn.yekuo.hub.domain.RepresentativeAssignment;

/**
 * The customer representatives of {@code yk.representatives}, checked at start: at least one, unique ids, a name and
 * an e-mail each, stations among {@code yk.supply-stations}, and a login of {@code yk.security.users} with role REP.
 * A wrong roster stops the start naming the entry and what to correct ({@link StartupProblem}).
 * <p>
 * The first representative is the fallback of a case that has none (opened before the roster, or whose representative
 * left the roster): {@link #of(String)}.
 */
@Component
public class Roster {

    /** A representative as the hub uses them. */
    public record Representative(String id, String name, String phone, String email, List<String> stations, String user,
                                 boolean lead) {
    }

    private final List<Representative> all;
    private final Map<String, Representative> byId;

    public Roster(HubProperties hub) {
        this.all = check(hub);
        this.byId = all.stream().collect(Collectors.toUnmodifiableMap(Representative::id, Function.identity()));
    }

    static List<Representative> check(HubProperties hub) {
        List<HubProperties.Representative> configured = hub.representatives() == null ? List.of() : hub.representatives();
        List<String> problems = new ArrayList<>();
        if (configured.isEmpty()) {
            problems.add("yk.representatives is empty: at least one customer representative is needed");
        }
        Map<String, String> roles = hub.security().users().stream().filter(u -> u.name() != null)
                .collect(Collectors.toMap(HubProperties.Security.User::name,
                        u -> u.role() == null ? "" : u.role().toUpperCase(Locale.ROOT), (a, b) -> a));
        Set<String> ids = new HashSet<>();
        List<Representative> roster = new ArrayList<>();
        for (int i = 0; i < configured.size(); i++) {
            HubProperties.Representative r = configured.get(i);
            String key = "yk.representatives[" + i + "]";
            if (blank(r.id())) {
                problems.add(key + ".id (YK_REPRESENTATIVES_" + i + "_ID) is required");
            } else if (r.id().strip().length() > 64) {
                problems.add(key + ".id '" + r.id() + "' is longer than 64 characters");
            } else if (!ids.add(r.id().strip())) {
                problems.add(key + ".id '" + r.id() + "' is given twice: ids must be unique");
            }
            if (blank(r.name())) {
                problems.add(key + ".name (YK_REPRESENTATIVES_" + i + "_NAME) is required: the documents print it");
            }
            if (blank(r.email()) || !r.email().contains("@")) {
                problems.add(key + ".email (YK_REPRESENTATIVES_" + i + "_EMAIL) is required: the case's notices go there");
            }
            for (String station : r.stations()) {
                if (!hub.supplyStations().contains(station)) {
                    problems.add(key + ".stations: '" + station + "' is not one of yk.supply-stations " + hub.supplyStations());
                }
            }
            if (blank(r.user())) {
                problems.add(key + ".user (YK_REPRESENTATIVES_" + i + "_USER) is required: a login of yk.security.users");
            } else if (!roles.containsKey(r.user())) {
                problems.add(key + ".user '" + r.user() + "' is not a user of yk.security.users " + roles.keySet());
            } else if (!"REP".equals(roles.get(r.user()))) {
                problems.add(key + ".user '" + r.user() + "' has role " + roles.get(r.user()) + ": a representative's login needs role REP");
            }
            roster.add(new Representative(strip(r.id()), strip(r.name()), strip(r.phone()), strip(r.email()),
                    List.copyOf(new LinkedHashSet<>(r.stations())), strip(r.user()), r.lead()));
        }
        if (!problems.isEmpty()) {
            throw new StartupProblem("The representatives' roster cannot be used (" + problems.size() + " problem"
                    + (problems.size() == 1 ? "" : "s") + "):\n    - " + String.join("\n    - ", problems),
                    "Correct yk.representatives (application.yaml or YK_REPRESENTATIVES_<n>_ID, _NAME, _PHONE, _EMAIL,"
                            + " _STATIONS, _USER, _LEAD); README.md, section Configuration, describes the roster.");
        }
        return List.copyOf(roster);
    }

    /** Every representative, in the configured order. */
    public List<Representative> all() {
        return all;
    }

    public Optional<Representative> byId(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(byId.get(id));
    }

    /** The representative whose login this is, if any. */
    public Optional<Representative> byUser(String user) {
        return all.stream().filter(r -> r.user().equals(user)).findFirst();
    }

    /** The case's representative: the one of this id, or the first of the roster when there is none (or left). */
    public Representative of(String id) {
        return byId(id).orElse(all.get(0));
    }

    /** The roster as the assignment rule sees it. */
    public List<RepresentativeAssignment.Candidate> candidates() {
        return all.stream().map(r -> new RepresentativeAssignment.Candidate(r.id(), Set.copyOf(r.stations()))).toList();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String strip(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
