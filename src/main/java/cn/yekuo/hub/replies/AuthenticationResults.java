package cn.yekuo.hub.replies;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the hub's receiving mail server says about a mail's sender (RFC 8601 {@code Authentication-Results}): only the
 * topmost header written under our own authserv-id counts (anything below it, or under another id, may come from the
 * sender). The sender is vouched for when SPF or DKIM passed for the From address's domain (aligned: the same domain
 * or one within the other, as DMARC's relaxed mode; a pass for another domain proves nothing about From) and DMARC
 * did not fail; each result is judged with its own identity only. Parsed by hand: the header's grammar is small and no maintained Java library reads it.
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
     * the quarantine notice. Each result is judged on its own: a pass counts only with its own identity aligned with
     * From (spf: smtp.mailfrom; dkim: header.d or the domain of header.i), never with another result's.
     */
    public Optional<String> refusal(List<String> headers, String from) {
        if (!enabled) {
            return Optional.empty();
        }
        String fromDomain = domainOf(from);
        for (String header : headers) {
            Optional<List<Resinfo>> results = resultsOf(header);
            if (results.isPresent()) {
                boolean vouched = false;
                boolean dmarcFails = false;
                Map<String, String> seen = new LinkedHashMap<>();
                for (Resinfo r : results.get()) {
                    seen.putIfAbsent(r.method(), r.result());
                    dmarcFails |= r.method().equals("dmarc") && r.result().equals("fail");
                    vouched |= r.result().equals("pass") && switch (r.method()) {
                        case "spf" -> aligned(domainOf(r.properties().get("smtp.mailfrom")), fromDomain);
                        case "dkim" -> aligned(domainOf(r.properties().get("header.d")), fromDomain)
                                || aligned(domainOf(r.properties().get("header.i")), fromDomain);
                        default -> false;
                    };
                }
                if (vouched && !dmarcFails) {
                    return Optional.empty();
                }
                return Optional.of("spf=" + seen.getOrDefault("spf", "none") + " dkim=" + seen.getOrDefault("dkim", "none")
                        + " dmarc=" + seen.getOrDefault("dmarc", "none"));
            }
        }
        return Optional.of("no Authentication-Results from " + authservId);
    }

    /** One {@code method=result ptype.property=value...} of a header, lower-case method and result. */
    private record Resinfo(String method, String result, Map<String, String> properties) {
    }

    /** The results of one header when it is written under our authserv-id, else empty. */
    private Optional<List<Resinfo>> resultsOf(String header) {
        List<List<String>> parts = tokens(header.length() > MAX_HEADER_CHARS ? header.substring(0, MAX_HEADER_CHARS) : header);
        if (parts.isEmpty() || parts.get(0).isEmpty() || !parts.get(0).get(0).toLowerCase(Locale.ROOT).equals(authservId)) {
            return Optional.empty();
        }
        List<Resinfo> results = new ArrayList<>();
        for (List<String> words : parts.subList(1, parts.size())) {
            if (words.isEmpty()) {
                continue;
            }
            int eq = words.get(0).indexOf('=');
            if (eq <= 0) {
                continue; // "none" or garbage
            }
            String method = words.get(0).substring(0, eq).toLowerCase(Locale.ROOT);
            int slash = method.indexOf('/');
            if (slash > 0) {
                method = method.substring(0, slash); // method version
            }
            Map<String, String> properties = new HashMap<>();
            for (String word : words.subList(1, words.size())) {
                int e = word.indexOf('=');
                if (e > 0 && word.indexOf('.') > 0 && word.indexOf('.') < e) {
                    properties.putIfAbsent(word.substring(0, e).toLowerCase(Locale.ROOT), word.substring(e + 1));
                }
            }
            results.add(new Resinfo(method, words.get(0).substring(eq + 1).toLowerCase(Locale.ROOT), properties));
        }
        return Optional.of(results);
    }

    /**
     * The header as RFC 8601 reads it: comments dropped, split at {@code ;} and then at blanks, both only outside
     * quoted strings (whose quotes and quoted pairs are undone), and blanks around {@code =} ignored.
     */
    private static List<List<String>> tokens(String header) {
        String s = withoutComments(header);
        List<List<String>> parts = new ArrayList<>();
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                word.append(s.charAt(++i));
            } else if (c == '"') {
                quoted = !quoted;
            } else if (quoted) {
                word.append(c);
            } else if (c == ';') {
                endWord(words, word);
                parts.add(words);
                words = new ArrayList<>();
            } else if (Character.isWhitespace(c)) {
                int next = i + 1;
                while (next < s.length() && Character.isWhitespace(s.charAt(next))) {
                    next++;
                }
                boolean aroundEquals = word.length() > 0 && word.indexOf("=") == word.length() - 1
                        || next < s.length() && s.charAt(next) == '=';
                if (!aroundEquals) {
                    endWord(words, word);
                }
                i = next - 1;
            } else {
                word.append(c);
            }
        }
        endWord(words, word);
        parts.add(words);
        return parts;
    }

    private static void endWord(List<String> words, StringBuilder word) {
        if (word.length() > 0) {
            words.add(word.toString());
            word.setLength(0);
        }
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
                if (depth == 0) {
                    out.append(' '); // a comment separates the words around it
                }
            } else if (depth == 0) {
                out.append(c == '\r' || c == '\n' || c == '\t' ? ' ' : c);
            }
        }
        return out.toString();
    }
}
