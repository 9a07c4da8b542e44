package cn.yekuo.hub.web;

import java.util.Arrays;
import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import cn.yekuo.hub.cases.Roster;
import cn.yekuo.hub.domain.Unit;
import cn.yekuo.hub.queries.Agenda;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The agenda as JSON: every running clock due in the next days, day by day with the calendar's marks (contract §4). */
@RestController
@Tag(name = "agenda")
public class AgendaApiController {

    static final int DEFAULT_DAYS = 14;
    static final int MAX_DAYS = 62;

    private final Agenda agenda;
    private final Roster roster;

    public AgendaApiController(Agenda agenda, Roster roster) {
        this.agenda = agenda;
        this.roster = roster;
    }

    @GetMapping("/api/agenda")
    @Operation(summary = "Running clocks due today and in the next days (business zone), overdue ones apart; each day marked "
            + "from the working-day calendar (WORKDAY, WEEKEND, HOLIDAY, MAKEUP_WORKDAY); filter by unit code and by representative id")
    public Agenda.View agenda(@RequestParam(required = false) String days, @RequestParam(required = false) String unit,
                              @RequestParam(required = false) String rep) {
        return agenda.read(CaseApiController.number("days", days, DEFAULT_DAYS, 1, MAX_DAYS), filter(unit, rep));
    }

    /** The units a clock can wait on: every unit but the assessment office and the representatives. */
    static List<String> units() {
        return Arrays.stream(Unit.values()).filter(u -> u != Unit.ASSESSMENT && u != Unit.CUSTOMER_REP).map(Unit::code).toList();
    }

    /** {@code unit} a unit code, {@code rep} a representative id of the roster; either may be blank (no filter). */
    Agenda.Filter filter(String unit, String rep) {
        String u = unit == null || unit.isBlank() ? null : unit.strip();
        if (u != null && !units().contains(u)) {
            throw ApiException.invalid("unit", "must be one of " + units());
        }
        String r = rep == null || rep.isBlank() ? null : rep.strip();
        List<String> ids = roster.all().stream().map(Roster.Representative::id).toList();
        if (r != null && !ids.contains(r)) {
            throw ApiException.invalid("rep", "must be one of " + ids);
        }
        return u == null && r == null ? Agenda.Filter.NONE : new Agenda.Filter(u, r, ids);
    }
}
