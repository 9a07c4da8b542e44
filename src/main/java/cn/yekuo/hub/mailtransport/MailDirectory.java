package cn.yekuo.hub.mailtransport;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.stereotype.Component;

import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.domain.Unit;

/**
 * Who is who by mail (docs/contract.md §2, §5): the hub's mailbox, each unit's address and allow-list, the customer
 * representatives and the supply stations, with the defaults of the embedded mode filled in.
 */
@Component
public class MailDirectory {

    /** Units reached by mail; the representatives have their own address ({@link #repsAddress()}). */
    public static final List<Unit> MAIL_UNITS =
            List.of(Unit.PRODUCTION, Unit.MARKETING, Unit.CONSTRUCTION, Unit.CUSTOMER_CENTER, Unit.ASSESSMENT);

    private final String hubAddress;
    private final String repsAddress;
    private final Map<Unit, String> addresses = new LinkedHashMap<>();
    private final Map<Unit, Set<String>> allowLists = new LinkedHashMap<>();
    private final Map<String, String> stations = new LinkedHashMap<>();
    /** The representatives' own addresses (yk.representatives): each case's notices go to its representative's. */
    private final Set<String> representatives = new LinkedHashSet<>();

    public MailDirectory(HubProperties properties) {
        HubProperties.Mail mail = properties.mail();
        String domain = mail.domain();
        this.hubAddress = normalise(mail.hubAddress());
        this.repsAddress = normalise(blank(mail.repsAddress()) ? "reps@" + domain : mail.repsAddress());
        if (properties.representatives() != null) {
            properties.representatives().stream().map(HubProperties.Representative::email).filter(a -> !blank(a))
                    .map(MailDirectory::normalise).forEach(representatives::add);
        }
        // keys from environment variables lose their dashes (YK_MAIL_UNITS_CUSTOMERCENTER_ADDRESS): compare without
        Map<String, HubProperties.Mail.UnitMailbox> configured = new LinkedHashMap<>();
        if (mail.units() != null) {
            mail.units().forEach((code, box) -> {
                String key = unitKey(code);
                if (MAIL_UNITS.stream().noneMatch(u -> unitKey(u.code()).equals(key))) {
                    // a misspelt unit code fails the start instead of being ignored
                    throw new IllegalArgumentException("yk.mail.units." + code + ": unknown unit; known are "
                            + MAIL_UNITS.stream().map(Unit::code).toList());
                }
                configured.put(key, box);
            });
        }
        for (Unit unit : MAIL_UNITS) {
            HubProperties.Mail.UnitMailbox box = configured.get(unitKey(unit.code()));
            String address = normalise(box == null || blank(box.address()) ? unit.code() + "@" + domain : box.address());
            Set<String> allowed = new LinkedHashSet<>();
            allowed.add(address);
            if (box != null && box.allowList() != null) {
                box.allowList().stream().filter(a -> !blank(a)).map(MailDirectory::normalise).forEach(allowed::add);
            }
            addresses.put(unit, address);
            allowLists.put(unit, Collections.unmodifiableSet(allowed));
        }
        Map<String, String> configuredStations = mail.stations() == null ? Map.of() : mail.stations();
        for (String code : properties.supplyStations()) {
            String address = configuredStations.get(code);
            stations.put(code, normalise(blank(address) ? "station-" + code + "@" + domain : address));
        }
        configuredStations.forEach((code, address) -> stations.putIfAbsent(code, normalise(address)));
    }

    public String hubAddress() {
        return hubAddress;
    }

    public String repsAddress() {
        return repsAddress;
    }

    public String addressOf(Unit unit) {
        String address = addresses.get(unit);
        if (address == null) {
            throw new IllegalArgumentException("no mailbox for unit " + unit);
        }
        return address;
    }

    /** The unit's own address is always on its allow-list. */
    public Set<String> allowListOf(Unit unit) {
        return allowLists.getOrDefault(unit, Set.of());
    }

    public Optional<String> stationAddress(String stationCode) {
        return Optional.ofNullable(stations.get(stationCode));
    }

    public Map<String, String> stations() {
        return Collections.unmodifiableMap(stations);
    }

    /**
     * True for an address of the hub's own world: a unit's (or on its allow-list), a station's, the representatives'
     * shared one or one of theirs.
     */
    public boolean isKnown(String address) {
        return address != null && allMailboxes().contains(address.trim().toLowerCase(Locale.ROOT));
    }

    /** Every mailbox the hub knows: the embedded server creates each at start. */
    public List<String> allMailboxes() {
        Set<String> all = new LinkedHashSet<>();
        all.add(hubAddress);
        all.addAll(addresses.values());
        allowLists.values().forEach(all::addAll);
        all.add(repsAddress);
        all.addAll(representatives);
        all.addAll(stations.values());
        return new ArrayList<>(all);
    }

    private static String unitKey(String code) {
        return code.replace("-", "").toLowerCase(Locale.ROOT);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String normalise(String address) {
        return address.trim().toLowerCase(Locale.ROOT);
    }
}
