package im.k8s.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.k8s.validation.Problem.Check;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A copy of the overlays with one reference broken on purpose: the validator reports that problem
 * and no other (in particular, nothing that merely follows from it).
 */
class BrokenOverlaysTest {

    @TempDir
    Path temp;

    @Test
    void brokenSelectorLabelIsReported() throws IOException {
        Path k8s = Overlays.copyOfK8s(temp);
        replaceOnce(k8s.resolve("base/leaf.yaml"),
                "  selector:\n    app.kubernetes.io/name: leaf\n  ports:",
                "  selector:\n    app.kubernetes.io/name: leef\n  ports:");

        assertOnlyProblem(validate(k8s, "dev"), Check.SELECTOR, "Service leaf", "matches no pod template");
    }

    @Test
    void brokenTargetPortIsReported() throws IOException {
        Path k8s = Overlays.copyOfK8s(temp);
        replaceOnce(k8s.resolve("base/leaf.yaml"), "targetPort: grpc", "targetPort: grpcs");

        assertOnlyProblem(validate(k8s, "dev"), Check.TARGET_PORT, "Service leaf port 9000", "targetPort grpcs");
    }

    @Test
    void brokenProbePathIsReported() throws IOException {
        Path k8s = Overlays.copyOfK8s(temp);
        replaceOnce(k8s.resolve("base/user.yaml"), "path: /q/health/ready", "path: /health/ready");

        assertOnlyProblem(validate(k8s, "prod"), Check.PROBE, "Deployment user", "readinessProbe path /health/ready");
    }

    @Test
    void probeOnAnUndeclaredPortIsReported() throws IOException {
        Path k8s = Overlays.copyOfK8s(temp);
        replaceOnce(k8s.resolve("base/router.yaml"), "httpGet: {path: /q/health/live, port: http}",
                "httpGet: {path: /q/health/live, port: 8081}");

        assertOnlyProblem(validate(k8s, "dev"), Check.PROBE, "Deployment router", "livenessProbe port 8081");
    }

    @Test
    void brokenEnvironmentVariableNameIsReported() throws IOException {
        Path k8s = Overlays.copyOfK8s(temp);
        replaceOnce(k8s.resolve("base/config/router.env"), "IM_LEAF_HOST=", "IM_LEAF_HOSTNAME=");

        assertOnlyProblem(validate(k8s, "dev"), Check.ENVIRONMENT, "Deployment router sets IM_LEAF_HOSTNAME");
    }

    @Test
    void brokenNetworkPolicyPortIsReported() throws IOException {
        Path k8s = Overlays.copyOfK8s(temp);
        replaceOnce(k8s.resolve("overlays/dev/network-policies.yaml"), "        - port: amqp", "        - port: 5673");

        assertOnlyProblem(validate(k8s, "dev"), Check.CALL_DENIED, "push -> rabbitmq:5672 (im.rabbitmq.host)");
    }

    @Test
    void brokenEgressPortToAnExternalBrokerIsReported() throws IOException {
        Path k8s = Overlays.copyOfK8s(temp);
        replaceOnce(k8s.resolve("overlays/prod/network-policies-egress.yaml"), "        - port: 5672", "        - port: 5673");

        assertOnlyProblem(validate(k8s, "prod"), Check.CALL_DENIED,
                "push -> rabbitmq.example.internal:5672 (im.rabbitmq.host)", "no egress rule");
    }

    @Test
    void anAllowanceNoCallNeedsIsReported() throws IOException {
        Path k8s = Overlays.copyOfK8s(temp);
        append(k8s.resolve("overlays/dev/network-policies.yaml"), """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: push-to-mysql
                spec:
                  podSelector:
                    matchLabels:
                      app.kubernetes.io/name: mysql
                  ingress:
                    - from:
                        - podSelector:
                            matchLabels:
                              app.kubernetes.io/name: push
                """);

        assertOnlyProblem(validate(k8s, "dev"), Check.NOT_A_CALL, "push may connect to mysql port 3306");
    }

    @Test
    void aHostThatNamesNoServiceIsReported() throws IOException {
        Path k8s = Overlays.copyOfK8s(temp);
        replaceOnce(k8s.resolve("base/config/push.env"), "IM_ROUTER_HOST=router", "IM_ROUTER_HOST=routers");

        assertOnlyProblem(validate(k8s, "dev"), Check.HOST, "push -> routers:9000 (im.push.router.host)",
                "no Service of the overlay");
    }

    @Test
    void routersBehindAClusterIpServiceAreReported() throws IOException {
        Path k8s = Overlays.copyOfK8s(temp);
        replaceOnce(k8s.resolve("base/router.yaml"), "  clusterIP: None\n", "");

        List<Problem> problems = validate(k8s, "dev");
        assertEquals(2, problems.size(), () -> "push and user call every router: " + problems);
        for (String caller : List.of("push", "user")) {
            assertTrue(problems.stream().anyMatch(problem -> problem.check() == Check.HOST
                    && problem.message().contains(caller + " -> router:9000")
                    && problem.message().contains("not headless")), () -> caller + ": " + problems);
        }
    }

    @Test
    void aBalancedGrpcClientCallingAClusterIpServiceIsReported() throws IOException {
        Path k8s = Overlays.copyOfK8s(temp);
        replaceOnce(k8s.resolve("base/leaf.yaml"), "  clusterIP: None\n", "");

        List<Problem> problems = validate(k8s, "dev");
        assertEquals(2, problems.size(), () -> "auth and router balance their leaf calls: " + problems);
        problems.forEach(problem -> assertTrue(problem.toString().contains("-> leaf:9000")
                && problem.toString().contains("not headless"), problem::toString));
    }

    @Test
    void aPushNodeIdThatIsNotThePodNameIsReported() throws IOException {
        Path k8s = Overlays.copyOfK8s(temp);
        replaceOnce(k8s.resolve("base/push.yaml"), "fieldPath: metadata.name", "fieldPath: spec.nodeName");

        assertOnlyProblem(validate(k8s, "prod"), Check.NODE_ID, "StatefulSet push", "im.push.node-id");
    }

    @Test
    void aRestRootTheIngressDoesNotRouteIsReported() throws IOException {
        Path k8s = Overlays.copyOfK8s(temp);
        replaceOnce(k8s.resolve("base/ingress.yaml"),
                "          - path: /friends\n"
                        + "            pathType: Prefix\n"
                        + "            backend:\n"
                        + "              service: {name: user, port: {name: http}}\n",
                "");

        assertOnlyProblem(validate(k8s, "dev"), Check.INGRESS_ROUTE, "user's REST resources at /friends");
    }

    private static List<Problem> validate(Path k8s, String overlay) {
        return Overlays.VALIDATOR.validate(Overlays.render(k8s.resolve("overlays").resolve(overlay)));
    }

    private static void assertOnlyProblem(List<Problem> problems, Check check, String... fragments) {
        assertEquals(1, problems.size(), "exactly one problem expected, got " + problems);
        Problem problem = problems.get(0);
        assertEquals(check, problem.check(), problem.toString());
        for (String fragment : fragments) {
            assertTrue(problem.message().contains(fragment), "'" + fragment + "' not in: " + problem);
        }
    }

    private static void replaceOnce(Path file, String text, String replacement) throws IOException {
        String content = Files.readString(file, StandardCharsets.UTF_8);
        int first = content.indexOf(text);
        assertTrue(first >= 0 && content.indexOf(text, first + 1) < 0, "exactly one '" + text + "' in " + file);
        Files.writeString(file, content.replace(text, replacement), StandardCharsets.UTF_8);
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, Files.readString(file, StandardCharsets.UTF_8) + text, StandardCharsets.UTF_8);
    }
}
