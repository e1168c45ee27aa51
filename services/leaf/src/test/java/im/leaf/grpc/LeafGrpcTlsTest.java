package im.leaf.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.common.service.ServiceName;
import im.common.testing.TestServiceTokens;
import im.protocol.leaf.LeafGrpc;
import im.protocol.leaf.NextIdsRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.security.cert.CertificateException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The gRPC server with a certificate (IM_GRPC_TLS_CERT / IM_GRPC_TLS_KEY, here set through the
 * same keys): a client that trusts it calls over TLS 1.3; a plain-text client is not answered.
 */
@QuarkusTest
@TestProfile(LeafGrpcTlsTest.GrpcTls.class)
class LeafGrpcTlsTest {

    private static final SelfSignedCertificate CERTIFICATE = certificate();

    public static final class GrpcTls implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.grpc.server.ssl.certificate", CERTIFICATE.certificate().getAbsolutePath(),
                    "quarkus.grpc.server.ssl.key", CERTIFICATE.privateKey().getAbsolutePath());
        }
    }

    @ConfigProperty(name = "quarkus.grpc.server.test-port")
    int grpcPort;

    @Test
    void clientTrustingTheCertificateCallsOverTls13() throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forAddress("localhost", grpcPort)
                .sslContext(GrpcSslContexts.forClient().trustManager(CERTIFICATE.cert()).protocols("TLSv1.3").build())
                .build();
        try {
            long first = LeafGrpc.newBlockingStub(channel)
                    .withCallCredentials(TestServiceTokens.as(ServiceName.ROUTER, ServiceName.LEAF))
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .nextIds(NextIdsRequest.newBuilder().setBizTag("tls").setCount(3).build())
                    .getRanges(0).getStart();
            assertTrue(first > 0, "an id range starts above 0: " + first);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void plainTextClientIsNotAnswered() throws Exception {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", grpcPort).usePlaintext().build();
        try {
            StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                    () -> LeafGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                            .nextIds(NextIdsRequest.newBuilder().setBizTag("tls").setCount(1).build()));
            assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode(), refused::toString);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static SelfSignedCertificate certificate() {
        try {
            return new SelfSignedCertificate("localhost");
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
    }
}
