package cn.yekuo.hub.handoff;

import java.util.Optional;

/** A composed hand-off: subject, UTF-8 plain text, and the HTML alternative if one was made. */
public record HandoffMail(String token, String subject, String text, Optional<String> html) {
}
