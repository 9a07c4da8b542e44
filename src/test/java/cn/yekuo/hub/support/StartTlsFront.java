package cn.yekuo.hub.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A STARTTLS front before a plain SMTP or IMAP server (GreenMail has no STARTTLS), as a mail server's ports 587 and 143
 * are: it greets, offers only STARTTLS, refuses anything else before it, upgrades the connection with the given server
 * certificate, and then relays the encrypted session to the plain server (whose greeting it swallows), so the
 * client's EHLO or CAPABILITY, its login and everything after STARTTLS reach the real server.
 */
public final class StartTlsFront implements AutoCloseable {

    /** The protocol spoken before the upgrade. */
    public enum Protocol { SMTP, IMAP }

    private final Protocol protocol;

    private final ServerSocket server;
    private final SSLContext tls;
    private final int backendPort;
    private final java.util.concurrent.atomic.AtomicInteger upgraded = new java.util.concurrent.atomic.AtomicInteger();

    public StartTlsFront(Protocol protocol, int port, int backendPort, SSLContext tls) throws IOException {
        this.protocol = protocol;
        this.server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        this.tls = tls;
        this.backendPort = backendPort;
        Thread accept = new Thread(this::accept, "starttls-front");
        accept.setDaemon(true);
        accept.start();
    }

    /** Connections upgraded with STARTTLS so far. */
    public int upgraded() {
        return upgraded.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread t = new Thread(() -> serve(client), "starttls-front-session");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            if (!(protocol == Protocol.SMTP ? smtpUntilStartTls(in, out) : imapUntilStartTls(in, out))) {
                return;
            }
            SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(client, null, client.getPort(), false);
            secure.setUseClientMode(false);
            secure.startHandshake();
            upgraded.incrementAndGet();
            try (secure; Socket backend = new Socket(InetAddress.getLoopbackAddress(), backendPort)) {
                readLine(backend.getInputStream()); // the plain server's greeting: the client had ours
                Thread up = new Thread(() -> pipe(secure, backend), "starttls-front-up");
                up.setDaemon(true);
                up.start();
                pipe(backend, secure);
            }
        } catch (IOException ended) {
            // the client or the server closed the session
        }
    }

    private static boolean smtpUntilStartTls(InputStream in, OutputStream out) throws IOException {
        write(out, "220 front ESMTP");
        while (true) {
            String line = readLine(in);
            if (line == null) {
                return false;
            }
            String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
            if (verb.equals("EHLO") || verb.equals("HELO")) {
                write(out, "250-front\r\n250 STARTTLS");
            } else if (line.equalsIgnoreCase("STARTTLS")) {
                write(out, "220 2.0.0 Ready to start TLS");
                return true;
            } else if (verb.equals("QUIT")) {
                write(out, "221 2.0.0 Bye");
                return false;
            } else {
                write(out, "530 5.7.0 Must issue a STARTTLS command first");
            }
        }
    }

    private static boolean imapUntilStartTls(InputStream in, OutputStream out) throws IOException {
        write(out, "* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] front ready");
        while (true) {
            String line = readLine(in);
            if (line == null) {
                return false;
            }
            String[] parts = line.split(" ", 2);
            String tag = parts[0];
            String command = parts.length > 1 ? parts[1].toUpperCase() : "";
            if (command.equals("CAPABILITY")) {
                write(out, "* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED\r\n" + tag + " OK CAPABILITY completed");
            } else if (command.equals("STARTTLS")) {
                write(out, tag + " OK Begin TLS negotiation now");
                return true;
            } else if (command.equals("LOGOUT")) {
                write(out, "* BYE\r\n" + tag + " OK LOGOUT completed");
                return false;
            } else {
                write(out, tag + " BAD STARTTLS first");
            }
        }
    }

    private static void pipe(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException ended) {
            // one side closed
        } finally {
            try {
                to.shutdownOutput();
            } catch (IOException | UnsupportedOperationException ignored) {
                try {
                    to.close();
                } catch (IOException alsoIgnored) {
                    // closing anyway
                }
            }
        }
    }

    private static void write(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** One line without its CRLF, read byte by byte so that nothing after it (the TLS handshake) is consumed. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                String s = line.toString(StandardCharsets.US_ASCII);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(b);
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
