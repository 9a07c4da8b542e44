package cn.yekuo.hub.cluster;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The local topology through its scripts (deploy/cluster, deploy/mail): what the drill starts, kills and restarts. */
final class Topology {

    static final Path REPO = Path.of("").toAbsolutePath();
    static final Path DIR = REPO.resolve("target/cluster");
    static final Path LOG = DIR.resolve("drill-scripts.log");

    /** Hub settings of the drill, given to every node through the environment (a real unit answers within seconds too). */
    static final Map<String, String> HUB_ENV = Map.of(
            "YK_MAIL_POLLINTERVAL", System.getProperty("yk.cluster.mail-poll", "1s"),
            "YK_MAIL_RELAYINTERVAL", "500ms",
            // the monthly jobs fire every 20 s on the clustered Quartz store through the whole drill (each node also
            // catches up at start): the last month's report and plans must still arrive once each
            "YK_MONTHLY_PLANCRON", "0/20 * * * * ?",
            "YK_MONTHLY_ASSESSMENTCRON", "7/20 * * * * ?",
            "YK_MONTHLY_CHECKCRON", "14/20 * * * * ?");

    private Topology() {
    }

    /** Runs deploy/{dir}/{script}.sh with args; fails on a non-zero exit. Output goes to target/cluster/drill-scripts.log. */
    static void run(String script, String... args) {
        String path = script.startsWith("mail") ? "deploy/mail/" + script + ".sh" : "deploy/cluster/" + script + ".sh";
        List<String> cmd = new ArrayList<>(List.of("bash", REPO.resolve(path).toString()));
        cmd.addAll(List.of(args));
        try {
            Files.createDirectories(DIR);
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(REPO.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(LOG.toFile()));
            pb.environment().putAll(HUB_ENV);
            Process p = pb.start();
            if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed, see " + LOG);
            }
            System.out.println("drill: " + path + " " + String.join(" ", args) + " done");
        } catch (Exception e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    /** KEY=value lines of a file (secrets.env) or "address password" lines (mail/accounts.txt). */
    static Map<String, String> read(String file) {
        Map<String, String> values = new HashMap<>();
        try {
            for (String line : Files.readAllLines(DIR.resolve(file), StandardCharsets.UTF_8)) {
                String[] kv = line.split(file.endsWith(".env") ? "=" : " ", 2);
                if (kv.length == 2) {
                    values.put(kv[0].trim(), kv[1].trim());
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + DIR.resolve(file), e);
        }
        return values;
    }

    static boolean exists(String file) {
        return new File(DIR.toFile(), file).exists();
    }
}
