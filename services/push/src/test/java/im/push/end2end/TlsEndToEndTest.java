package im.push.end2end;

import static im.push.end2end.TestUsers.befriend;
import static im.push.end2end.TestUsers.sendAck;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import im.common.testing.TestTokensResource;
import im.protocol.client.DeliverAck;
import im.protocol.client.Frame;
import im.protocol.client.Message;
import im.protocol.client.Send;
import im.protocol.client.SendAck;
import im.protocol.user.UserDirectoryGrpc;
import im.push.PushConfig;
import im.push.connection.ClientListener;
import im.push.connection.ConnectionConfig;
import im.push.connection.ConnectionCounters;
import im.push.end2end.TestUsers.User;
import im.push.session.ClientFrameHandler;
import im.push.tcp.TcpServerInitializer;
import im.push.tls.ServerTls;
import im.push.tls.TlsConfig;
import im.push.websocket.WebSocketConfig;
import im.push.websocket.WebSocketServerInitializer;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Both listeners with TLS on, in the real app (the real session layer, router, user directory
 * and leaf behind them): each test binds a TCP and a WebSocket listener of its own, built from
 * {@link TlsConfig} exactly as the app builds them, on a self-signed certificate.
 */
@QuarkusTest
@QuarkusTestResource(TestTokensResource.class)
class TlsEndToEndTest {

    private static SelfSignedCertificate serverCertificate;
    private static SelfSignedCertificate otherCertificate;

    @GrpcClient("user")
    UserDirectoryGrpc.UserDirectoryBlockingStub users;

    @Inject
    PushConfig push;

    @Inject
    ConnectionConfig connection;

    @Inject
    ConnectionCounters counters;

    @Inject
    ClientFrameHandler session;

    @Inject
    WebSocketConfig webSocket;

    private ClientListener tcp;
    private ClientListener ws;

    @BeforeEach
    void bindTlsListeners() throws Exception {
        if (serverCertificate == null) {
            serverCertificate = new SelfSignedCertificate("localhost");
            otherCertificate = new SelfSignedCertificate("localhost");
        }
        ServerTls tls = new ServerTls(tlsConfig(serverCertificate));
        tcp = ClientListener.bind(new ClientListener.Settings("tls-tcp-test", "127.0.0.1", 0, 1, 64, connection),
                connections -> new TcpServerInitializer(connections, push, connection, counters, session, tls));
        ws = ClientListener.bind(new ClientListener.Settings("tls-ws-test", "127.0.0.1", 0, 1, 64, connection),
                connections -> new WebSocketServerInitializer(connections, webSocket, push, connection, counters,
                        session, tls));
    }

    @AfterEach
    void closeListeners() {
        tcp.close(Duration.ofSeconds(5));
        ws.close(Duration.ofSeconds(5));
    }

    @Test
    void tlsClientsOnTcpAndWebSocketChatOverTls13() throws Exception {
        User alice = TestUsers.create(users, "tls-user");
        User bob = TestUsers.create(users, "tls-user");
        befriend(alice, bob);
        SSLContext trusting = trusting(serverCertificate.cert());
        SSLSocket socket = (SSLSocket) trusting.getSocketFactory().createSocket("localhost", tcp.port());
        socket.startHandshake();
        assertEquals("TLSv1.3", socket.getSession().getProtocol());
        HttpClient https = HttpClient.newBuilder().sslContext(trusting).build();

        try (TcpDevice aliceTcp = new TcpDevice(socket);
                WebSocketDevice bobWss = new WebSocketDevice(https, URI.create("wss://localhost:" + ws.port() + "/ws"))) {
            assertEquals(alice.id(), aliceTcp.hello(1, alice.token(), "alice-phone").getHelloOk().getUserId());
            assertEquals(bob.id(), bobWss.hello(1, bob.token(), "bob-browser").getHelloOk().getUserId());

            aliceTcp.send(send(10, bob.id(), "over tls"));
            SendAck ack = sendAck(aliceTcp.answerTo(10));
            Message delivered = bobWss.take(Frame.BodyCase.DELIVER).getDeliver().getMessage();
            assertEquals(ack.getMsgId(), delivered.getMsgId());
            assertEquals("over tls", delivered.getBody().toStringUtf8());
            bobWss.send(deliverAck(delivered));

            bobWss.send(send(20, alice.id(), "over wss"));
            SendAck reply = sendAck(bobWss.answerTo(20));
            Message replyDelivered = aliceTcp.take(Frame.BodyCase.DELIVER).getDeliver().getMessage();
            assertEquals(reply.getMsgId(), replyDelivered.getMsgId());
            assertEquals("over wss", replyDelivered.getBody().toStringUtf8());
        }
    }

    @Test
    void plainClientOnTheTlsPortIsClosedWithoutAnAnswerAndCountedAsATlsFailure() throws Exception {
        long tlsFailuresBefore = counters.tlsFailures();
        long unexpectedBefore = counters.unexpectedErrors();
        try (TcpDevice plain = new TcpDevice(tcp.port())) {
            plain.send(send(1, 1, "in the clear"));

            plain.awaitClosed();
            assertTrue(plain.receivedSoFar(Frame.BodyCase.ERROR).isEmpty(), "no frame reaches a plain client");
        }
        assertThrows(ExecutionException.class, () -> new WebSocketDevice(HttpClient.newHttpClient(),
                URI.create("ws://localhost:" + ws.port() + "/ws")), "a plain WebSocket upgrade fails");
        await().atMost(TestDevice.WAIT).until(() -> counters.tlsFailures() >= tlsFailuresBefore + 2);
        assertEquals(unexpectedBefore, counters.unexpectedErrors());
    }

    @Test
    void clientThatTrustsAnotherCertificateIsRefusedAtTheHandshake() throws Exception {
        SSLContext trustingAnother = trusting(otherCertificate.cert());
        try (SSLSocket socket = (SSLSocket) trustingAnother.getSocketFactory().createSocket("localhost", tcp.port())) {
            assertThrows(SSLException.class, socket::startHandshake);
        }
        HttpClient https = HttpClient.newBuilder().sslContext(trustingAnother).build();
        ExecutionException refused = assertThrows(ExecutionException.class, () -> new WebSocketDevice(https,
                URI.create("wss://localhost:" + ws.port() + "/ws")));
        assertTrue(refused.getCause() instanceof SSLException, () -> "refused by TLS: " + refused.getCause());
    }

    @Test
    void clientOfferingOnlyTls12IsRefused() throws Exception {
        SSLContext trusting = trusting(serverCertificate.cert());
        try (SSLSocket socket = (SSLSocket) trusting.getSocketFactory().createSocket("localhost", tcp.port())) {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            assertThrows(SSLException.class, socket::startHandshake);
        }
    }

    private static Frame send(long requestId, long to, String text) {
        return Frame.newBuilder().setRequestId(requestId).setSend(Send.newBuilder()
                .setClientMsgId(UUID.randomUUID().toString()).setToUserId(to)
                .setBody(ByteString.copyFrom(text, StandardCharsets.UTF_8))).build();
    }

    private static Frame deliverAck(Message message) {
        return Frame.newBuilder().setDeliverAck(DeliverAck.newBuilder()
                .setConversationId(message.getConversationId()).setSeq(message.getSeq())
                .setMsgId(message.getMsgId())).build();
    }

    private static SSLContext trusting(X509Certificate certificate) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("server", certificate);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    /** The settings an operator writes: a PEM certificate and key, TLS 1.3 only. */
    private static TlsConfig tlsConfig(SelfSignedCertificate certificate) {
        return new TlsConfig() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public Optional<Path> certificate() {
                return Optional.of(certificate.certificate().toPath());
            }

            @Override
            public Optional<Path> key() {
                return Optional.of(certificate.privateKey().toPath());
            }

            @Override
            public Optional<Path> keyStore() {
                return Optional.empty();
            }

            @Override
            public Optional<String> keyStorePassword() {
                return Optional.empty();
            }

            @Override
            public List<String> protocols() {
                return List.of("TLSv1.3");
            }

            @Override
            public Duration handshakeTimeout() {
                return Duration.ofSeconds(10);
            }
        };
    }
}
