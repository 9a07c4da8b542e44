package cn.yekuo.hub.web;

import java.util.Arrays;
import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

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

    public AgendaApiController(Agenda agenda) {
        this.agenda = agenda;
    }

    @GetMapping("/api/agenda")
    @Operation(summary = "Running clocks due today and in the next days (business zone), overdue ones apart; each day marked "
            + "from the working-day calendar (WORKDAY, WEEKEND, HOLIDAY, MAKEUP_WORKDAY); filter by unit code")
    public Agenda.View agenda(@RequestParam(required = false) String days, @RequestParam(required = false) String unit) {
        return agenda.read(CaseApiController.number("days", days, DEFAULT_DAYS, 1, MAX_DAYS), filter(unit));
    }

    /** The units a clock can wait on: every unit but the assessment office and the representatives. */
    static List<String> units() {
        return Arrays.stream(Unit.values()).filter(u -> u != Unit.ASSESSMENT && u != Unit.CUSTOMER_REP).map(Unit::code).toList();
    }

    static Agenda.Filter filter(String unit) {
        if (unit == null || unit.isBlank()) {
            return Agenda.Filter.NONE;
        }
        String u = unit.strip();
        if (!units().contains(u)) {
            throw ApiException.invalid("unit", "must be one of " + units());
        }
        return new Agenda.Filter(u);
    }
}
