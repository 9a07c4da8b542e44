package cn.yekuo.hub.status;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The generated status link key ({@code status_secret}, one row): used only while {@code yk.status.secret} is unset. */
@Repository
public class StatusSecrets {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public StatusSecrets(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The kept key, or a new random one kept now; two nodes starting together agree on the first one inserted. */
    public String readOrCreate() {
        List<String> kept = read();
        if (!kept.isEmpty()) {
            return kept.get(0);
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        try {
            jdbc.update("insert into status_secret (id, secret, created_at) values (1, ?, ?)", HexFormat.of().formatHex(random),
                    OffsetDateTime.now(clock));
        } catch (DataIntegrityViolationException anotherNodeWasFirst) {
            // its key is the one every link will carry
        }
        return read().get(0);
    }

    private List<String> read() {
        return jdbc.queryForList("select secret from status_secret where id = 1", String.class);
    }
}
