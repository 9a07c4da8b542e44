package cn.yekuo.hub.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import cn.yekuo.hub.cases.Roster;
import cn.yekuo.hub.domain.Stage;
import cn.yekuo.hub.domain.time.Node;
import cn.yekuo.hub.queries.CaseQueries.OpenCase;
import cn.yekuo.hub.queries.DueStatus;
import cn.yekuo.hub.web.MyDay.Urgency;

/** The groups of "my day": overdue, waiting on the customer, today, this week (by Sunday), later — in the business zone. */
class MyDayUrgencyTest {

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    /** A Wednesday. */
    private static final LocalDate TODAY = LocalDate.of(2026, 12, 2);

    private static OpenCase open(String no, OffsetDateTime due, DueStatus status, String waitReason, String rep) {
        return new OpenCase(no, "客户", Stage.SCHEME, Node.SCHEME_REPLY, due, status, List.of("production"), waitReason,
                waitReason == null ? null : due, List.of(), rep);
    }

    private static OffsetDateTime at(int day, int hour) {
        return LocalDate.of(2026, 12, day).atTime(hour, 0).atZone(ZONE).toOffsetDateTime();
    }

    @Test
    void each_case_goes_to_the_first_group_that_fits() {
        assertThat(MyDay.urgency(open("a", at(1, 9), DueStatus.OVERDUE, null, "x"), TODAY, ZONE)).isEqualTo(Urgency.OVERDUE);
        assertThat(MyDay.urgency(open("b", null, DueStatus.PAUSED, "客户原因", "x"), TODAY, ZONE)).isEqualTo(Urgency.CUSTOMER);
        assertThat(MyDay.urgency(open("c", at(2, 23), DueStatus.WARNING, null, "x"), TODAY, ZONE)).isEqualTo(Urgency.TODAY);
        assertThat(MyDay.urgency(open("d", at(6, 17), DueStatus.ON_TIME, null, "x"), TODAY, ZONE)).as("Sunday").isEqualTo(Urgency.WEEK);
        assertThat(MyDay.urgency(open("e", at(7, 9), DueStatus.ON_TIME, null, "x"), TODAY, ZONE)).as("next Monday").isEqualTo(Urgency.LATER);
        assertThat(MyDay.urgency(open("f", null, DueStatus.NONE, null, "x"), TODAY, ZONE)).as("untimed").isEqualTo(Urgency.LATER);
    }

    @Test
    void the_day_boundary_is_the_business_zone_s_whatever_the_offset_stored() {
        // 2026-12-02 16:30 UTC is 2026-12-03 00:30 in Shanghai: tomorrow, not today
        OffsetDateTime utc = OffsetDateTime.of(2026, 12, 2, 16, 30, 0, 0, ZoneOffset.UTC);
        assertThat(MyDay.urgency(open("g", utc, DueStatus.ON_TIME, null, "x"), TODAY, ZONE)).isEqualTo(Urgency.WEEK);
    }

    @Test
    void cases_are_grouped_per_representative_in_the_roster_s_order_without_empty_groups() {
        Roster.Representative wang = new Roster.Representative("wangmin", "王敏", null, "rep@x", List.of(), "rep", true);
        Roster.Representative li = new Roster.Representative("lihua", "李华", null, "rep2@x", List.of(), "rep2", false);
        List<MyDay.Day> days = MyDay.of(List.of(wang, li), List.of(open("1", at(1, 9), DueStatus.OVERDUE, null, "lihua"),
                open("2", at(20, 9), DueStatus.ON_TIME, null, "lihua"), open("3", at(1, 9), DueStatus.OVERDUE, null, "other")),
                TODAY, ZONE);
        assertThat(days).extracting(d -> d.representative().id()).containsExactly("wangmin", "lihua");
        assertThat(days.get(0).groups()).isEmpty();
        assertThat(days.get(1).total()).isEqualTo(2);
        assertThat(days.get(1).groups()).extracting(MyDay.Group::urgency).containsExactly(Urgency.OVERDUE, Urgency.LATER);
    }
}
