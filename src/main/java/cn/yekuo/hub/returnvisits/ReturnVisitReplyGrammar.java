package cn.yekuo.hub.returnvisits;

import cn.yekuo.hub.mailtransport.TextLines;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a station's return-visit reply, one case per line: {@code YK-2026-000017: 满意 说明…}.
 * Satisfaction in Chinese (满意/一般/不满意/未联系上) or English (SATISFIED/NEUTRAL/DISSATISFIED/
 * UNREACHABLE). Quotes and signature are skipped as in unit replies; every other non-blank line is
 * listed as unusable with the reason, so a representative can follow it up.
 */
public final class ReturnVisitReplyGrammar {

    // The separator after the case number is taken off by hand: "\\s*[:：]?\\s*(.*)$" backtracks cubically over a long
    // run of spaces followed by a line separator that '.' does not match (issue 15).
    private static final Pattern CASE_LINE = Pattern.compile("^(YK-\\d{4}-\\d{6,})(.*)$", Pattern.DOTALL);
    private static final Pattern CASE_ANYWHERE = Pattern.compile("YK-\\d{4}-\\d{6,}");
    // Longest first: 不满意 must not be read as 满意, DISSATISFIED not as SATISFIED.
    private static final Pattern SATISFACTION = Pattern.compile(
            "^(未联系上|不满意|满意|一般|UNREACHABLE|DISSATISFIED|SATISFIED|NEUTRAL)(?![A-Za-z_])(.*)$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern NOTE_LABEL = Pattern.compile("^[\\s,，;；。.、:：]*((说明|备注|NOTE)\\s*[:：]?)?",
            Pattern.CASE_INSENSITIVE);

    public ReturnVisitReply parse(String body) {
        List<ReturnVisitReply.Visit> visits = new ArrayList<>();
        List<ReturnVisitReply.UnusableLine> unusable = new ArrayList<>();
        Map<String, ReturnVisitReply.Visit> byCase = new HashMap<>();

        for (String line : TextLines.writtenByReplier(body)) {
            if (line.isEmpty()) {
                continue;
            }
            Matcher caseLine = CASE_LINE.matcher(line);
            if (!caseLine.matches()) {
                unusable.add(CASE_ANYWHERE.matcher(line).find()
                        ? new ReturnVisitReply.UnusableLine(line, "案件编号须写在行首", "the case number must start the line")
                        : new ReturnVisitReply.UnusableLine(line, "行首没有案件编号", "the line does not start with a case number"));
                continue;
            }
            String caseNo = caseLine.group(1);
            Matcher satisfaction = SATISFACTION.matcher(afterSeparator(caseLine.group(2)));
            if (!satisfaction.matches()) {
                unusable.add(new ReturnVisitReply.UnusableLine(line,
                        "没有可识别的满意度（满意、一般、不满意、未联系上）",
                        "no satisfaction recognised (SATISFIED, NEUTRAL, DISSATISFIED, UNREACHABLE)"));
                continue;
            }
            ReturnVisitReply.Visit visit = new ReturnVisitReply.Visit(caseNo, satisfactionOf(satisfaction.group(1)),
                    TextLines.trim(NOTE_LABEL.matcher(satisfaction.group(2)).replaceFirst("")));
            ReturnVisitReply.Visit earlier = byCase.putIfAbsent(caseNo, visit);
            if (earlier != null) {
                unusable.add(new ReturnVisitReply.UnusableLine(line,
                        "案件 " + caseNo + " 已在前面填报过，以第一行为准",
                        "case " + caseNo + " was reported on an earlier line, which counts"));
                continue;
            }
            visits.add(visit);
        }
        return new ReturnVisitReply(visits, unusable);
    }

    /** What follows the case number, without blanks and one {@code :} or {@code ：}. */
    private static String afterSeparator(String rest) {
        String text = TextLines.trim(rest);
        if (text.startsWith(":") || text.startsWith("：")) {
            text = TextLines.trim(text.substring(1));
        }
        return text;
    }

    private static Satisfaction satisfactionOf(String word) {
        for (Satisfaction s : Satisfaction.values()) {
            if (s.chinese().equals(word) || s.name().equalsIgnoreCase(word)) {
                return s;
            }
        }
        throw new IllegalStateException("pattern and enum disagree on " + word);
    }
}
