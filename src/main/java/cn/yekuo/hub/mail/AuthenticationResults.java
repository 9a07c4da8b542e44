package cn.yekuo.hub.mail;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the hub's receiving mail server says about a mail's sender (RFC 8601 {@code Authentication-Results}): only the
 * topmost header written under our own authserv-id counts (anything below it, or under another id, may come from the
 * sender). The sender is vouched for when SPF or DKIM passed for the From address's domain (aligned: the same domain
 * or one within the other, as DMARC's relaxed mode; a pass for another domain proves nothing about From) and DMARC
 * did not fail. Parsed by hand: the header's grammar is small and no maintained Java library reads it.
 */
public final class AuthenticationResults {

    /** At most this much of one header is looked at. */
    private static final int MAX_HEADER_CHARS = 8192;

    private final boolean enabled;
    private final String authservId;

    public AuthenticationResults(boolean enabled, String authservId) {
        if (enabled && (authservId == null || authservId.isBlank())) {
            throw new IllegalStateException("yk.mail.auth-results.authserv-id is required when yk.mail.auth-results.enabled=true");
        }
        this.enabled = enabled;
        this.authservId = authservId == null ? null : authservId.trim().toLowerCase(Locale.ROOT);
    }

    public static AuthenticationResults off() {
        return new AuthenticationResults(false, null);
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * Empty when the sender ({@code from}, the From address) is vouched for, or the check is off; else why not, for
     * the quarantine notice.
     */
    public Optional<String> refusal(List<String> headers, String from) {
        if (!enabled) {
            return Optional.empty();
        }
        String fromDomain = domainOf(from);
        for (String header : headers) {
            Optional<Map<String, String>> results = resultsOf(header);
            if (results.isPresent()) {
                Map<String, String> r = results.get();
                boolean spf = "pass".equals(r.get("spf")) && aligned(domainOf(r.get("smtp.mailfrom")), fromDomain);
                boolean dkim = "pass".equals(r.get("dkim")) && aligned(domainOf(r.get("header.d")), fromDomain);
                boolean dmarcFails = "fail".equals(r.get("dmarc"));
                if ((spf || dkim) && !dmarcFails) {
                    return Optional.empty();
                }
                return Optional.of("spf=" + r.getOrDefault("spf", "none") + " dkim=" + r.getOrDefault("dkim", "none")
                        + " dmarc=" + r.getOrDefault("dmarc", "none"));
            }
        }
        return Optional.of("no Authentication-Results from " + authservId);
    }

    /** method → result of one header when it is written under our authserv-id, else empty. */
    private Optional<Map<String, String>> resultsOf(String header) {
        String text = withoutComments(header.length() > MAX_HEADER_CHARS ? header.substring(0, MAX_HEADER_CHARS) : header);
        String[] parts = text.split(";");
        String[] id = parts[0].trim().split("\\s+");
        if (id.length == 0 || !id[0].toLowerCase(Locale.ROOT).equals(authservId)) {
            return Optional.empty();
        }
        Map<String, String> results = new HashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String resinfo = parts[i].trim();
            int eq = resinfo.indexOf('=');
            if (eq <= 0) {
                continue; // "none" or garbage
            }
            String method = resinfo.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            int slash = method.indexOf('/');
            if (slash > 0) {
                method = method.substring(0, slash); // method version
            }
            String[] words = resinfo.substring(eq + 1).trim().split("\\s+");
            String result = words[0].toLowerCase(Locale.ROOT);
            // the first pass of a method wins (DKIM may sign several times), with its identity (ptype.property=value)
            if ("pass".equals(results.get(method))) {
                continue;
            }
            results.put(method, result);
            for (int w = 1; w < words.length; w++) {
                int e = words[w].indexOf('=');
                if (e > 0 && words[w].indexOf('.') < e) {
                    String property = words[w].substring(0, e).toLowerCase(Locale.ROOT);
                    if (property.equals("smtp.mailfrom") && method.equals("spf")
                            || property.equals("header.d") && method.equals("dkim")) {
                        results.put(property, words[w].substring(e + 1).replace("\"", ""));
                    }
                }
            }
        }
        return Optional.of(results);
    }

    /** The domain of an address or a bare domain, lower case; null when there is none. */
    private static String domainOf(String addressOrDomain) {
        if (addressOrDomain == null || addressOrDomain.isBlank()) {
            return null;
        }
        String d = addressOrDomain.substring(addressOrDomain.lastIndexOf('@') + 1).trim().toLowerCase(Locale.ROOT);
        return d.isEmpty() ? null : d;
    }

    /** Relaxed alignment: the same domain, or one a subdomain of the other. */
    private static boolean aligned(String identity, String from) {
        return identity != null && from != null
                && (identity.equals(from) || identity.endsWith("." + from) || from.endsWith("." + identity));
    }

    /** RFC 5322 comments (nested parentheses, quoted pairs) removed. */
    private static String withoutComments(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                if (depth == 0) {
                    out.append(c).append(s.charAt(i + 1));
                }
                i++;
            } else if (c == '"' && depth == 0) {
                quoted = !quoted;
                out.append(c);
            } else if (c == '(' && !quoted) {
                depth++;
            } else if (c == ')' && !quoted && depth > 0) {
                depth--;
            } else if (depth == 0) {
                out.append(c == '\r' || c == '\n' || c == '\t' ? ' ' : c);
            }
        }
        return out.toString();
    }
}
