package cn.yekuo.hub.domain.time;

/** How a limit counts days: working days (工作日) follow the holiday calendar, calendar days (日) do not. */
public enum DayKind {
    WORKING, CALENDAR
}
