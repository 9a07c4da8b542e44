package cn.yekuo.hub.mailtransport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.imap.ImapSession;
import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.UserManager;
import org.junit.jupiter.api.Test;

/**
 * The selected folder asks the folder's index for a sequence number and never reads the folder's whole UID list
 * (GreenMail's scan, once per message of every FETCH and STORE); the IMAP behaviour over a real server is in
 * {@link EmbeddedMailPersistenceTest}.
 */
class IndexedImapHandlerTest {

    @Test
    void a_sequence_number_comes_from_the_folders_index_without_the_uid_list() throws Exception {
        MailFolder folder = mock(MailFolder.class);
        when(folder.getMsn(4711L)).thenReturn(3);
        when(folder.getMsn(4712L)).thenThrow(new FolderException("No such message."));
        IndexedImapHandler.IndexedSessionFolder selected = new IndexedImapHandler.IndexedSessionFolder(folder, mock(ImapSession.class), false);

        assertThat(selected.getMsn(4711L)).isEqualTo(3);
        assertThatThrownBy(() -> selected.getMsn(4712L)).isInstanceOf(FolderException.class);
        verify(folder, never()).getMessageUids();
    }

    /** A client that hung up (its read timed out) ends the connection; no exception escapes the server's thread. */
    @Test
    void a_client_that_hung_up_ends_the_connection_quietly() throws Exception {
        Socket socket = mock(Socket.class);
        when(socket.getInetAddress()).thenReturn(InetAddress.getLoopbackAddress());
        when(socket.getInputStream()).thenReturn(new ByteArrayInputStream("A1 NOOP\r\n".getBytes(StandardCharsets.US_ASCII)));
        when(socket.getOutputStream()).thenReturn(new OutputStream() {
            @Override
            public void write(int b) throws SocketException {
                throw new SocketException("Broken pipe");
            }
        });
        IndexedImapHandler handler = new IndexedImapHandler(mock(UserManager.class), mock(ImapHostManager.class), socket);

        handler.run(); // before: IllegalStateException "Can not handle IMAP connection", uncaught in the server's thread

        verify(socket).close();
    }
}
