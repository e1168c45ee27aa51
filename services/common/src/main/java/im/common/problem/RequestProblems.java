package im.common.problem;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Quarkus REST's own refusals answered as problem bodies, like the services' own errors: a body it
 * cannot read (which it would answer with a bare 400), an unknown path, a method or media type the
 * path does not take. The detail says what is wrong in the client's terms, cut to a bounded length,
 * never with a stack trace.
 * <p>
 * One class for every app that serves REST (auth, user, and the standalone app holding both): a
 * mapper per service would give the standalone two for one exception type and leave the choice to
 * Quarkus. Apps without Quarkus REST (leaf, router, push) never load it; common depends on REST
 * optionally for that reason. Mapping {@link WebApplicationException} also makes Quarkus REST answer
 * an unknown path itself, through this class, rather than hand it on to Vert.x's bare 404.
 */
public class RequestProblems {

    private static final Logger LOG = Logger.getLogger(RequestProblems.class);

    /** Long enough to act on, short of echoing a large body back. */
    static final int DETAIL_LIMIT = 300;
    /** Jackson's message within a detail, leaving room for the location after it. */
    private static final int MESSAGE_LIMIT = 200;
    /** Parts of the request repeated in a detail (a path, a header, a field path). */
    private static final int ECHO_LIMIT = 100;

    private static final Pattern QUALIFIED_TYPE = Pattern.compile("`(?:[\\w$]+[.$])+(\\w+)`");
    private static final Pattern JACKSON_SETTING = Pattern.compile(", from `[^`]*`");
    private static final Pattern SOURCE = Pattern.compile("\\[Source: [^;\\]]*; ");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}+");

    /** Quarkus' JSON reader throws this one as is; the other Jackson failures arrive inside a 400. */
    @ServerExceptionMapper
    public Response unreadableBody(MismatchedInputException e) {
        return malformedBody(e).toResponse().build();
    }

    @ServerExceptionMapper
    public Response refused(WebApplicationException e, HttpServerRequest request) {
        Response refusal = e.getResponse();
        int status = refusal.getStatus();
        if (status < 400) {
            return refusal;
        }
        Problem problem = e.getCause() instanceof JsonProcessingException unreadable
                ? malformedBody(unreadable)
                : refusal(e, status, request);
        Response.ResponseBuilder answer = problem.toResponse();
        // Allow, WWW-Authenticate, Retry-After: what the refusal says besides its status
        refusal.getHeaders().forEach((name, values) -> {
            if (!HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name) && !HttpHeaders.CONTENT_LENGTH.equalsIgnoreCase(name)) {
                values.forEach(value -> answer.header(name, value));
            }
        });
        return answer.build();
    }

    private static Problem refusal(WebApplicationException e, int status, HttpServerRequest request) {
        return switch (status) {
            case 400 -> problem(status, RequestProblem.INVALID_ARGUMENT, messageOr(e, "the request is malformed"));
            case 404 -> problem(status, RequestProblem.NOT_FOUND,
                    "no call answers " + request.method() + " " + echo(request.path()));
            case 405 -> problem(status, RequestProblem.METHOD_NOT_ALLOWED, methodDetail(e, request));
            case 406 -> problem(status, RequestProblem.NOT_ACCEPTABLE, "the Accept header '"
                    + echo(request.getHeader(HttpHeaders.ACCEPT)) + "' names no media type this call answers in");
            case 415 -> problem(status, RequestProblem.UNSUPPORTED_MEDIA_TYPE, contentTypeDetail(request));
            default -> {
                if (status >= 500) {
                    LOG.errorf(e, "Quarkus REST failed a request with %d", status);
                    yield problem(status, RequestProblem.INTERNAL, "the server failed to answer this request");
                }
                yield problem(status, RequestProblem.REQUEST_REFUSED, messageOr(e, "the request was refused"));
            }
        };
    }

    private static String methodDetail(WebApplicationException e, HttpServerRequest request) {
        String detail = request.method() + " is not allowed on " + echo(request.path());
        // Quarkus REST's own 405 names no methods; a NotAllowedException thrown with some does
        Set<String> allowed = e.getResponse().getAllowedMethods();
        return allowed.isEmpty() ? detail : detail + "; it takes " + String.join(", ", new TreeSet<>(allowed));
    }

    private static String contentTypeDetail(HttpServerRequest request) {
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        return contentType == null
                ? "the request has a body but no Content-Type; the JSON calls take application/json"
                : "this call does not read a body of Content-Type '" + echo(contentType)
                        + "'; the JSON calls take application/json";
    }

    static Problem malformedBody(JsonProcessingException e) {
        return problem(400, RequestProblem.MALFORMED_BODY, describe(e));
    }

    /** What is wrong with a body Jackson could not read, and where. */
    static String describe(JsonProcessingException e) {
        // binding wraps what the parser found inside a field; the parser's failure says what it is
        Throwable failure = e instanceof DatabindException && e.getCause() instanceof JsonProcessingException cause ? cause : e;
        StringBuilder detail = new StringBuilder();
        if (failure instanceof StreamConstraintsException) {
            detail.append("the request body is over a JSON limit");
        } else if (failure instanceof StreamReadException && !(failure instanceof InputCoercionException)) {
            detail.append("the request body is not valid JSON");
        } else {
            detail.append("the request body does not fit this call");
        }
        String field = fieldPath(e);
        if (!field.isEmpty()) {
            detail.append(" at '").append(echo(field)).append('\'');
        }
        detail.append(": ").append(cap(clean(e.getOriginalMessage()), MESSAGE_LIMIT));
        JsonLocation location = e.getLocation();
        if (location != null && location.getLineNr() > 0) {
            detail.append(" at line ").append(location.getLineNr()).append(", column ").append(location.getColumnNr());
        }
        return cap(detail.toString(), DETAIL_LIMIT);
    }

    private static String fieldPath(JsonProcessingException e) {
        if (!(e instanceof JsonMappingException mapping)) {
            return "";
        }
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : mapping.getPath()) {
            if (reference.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** Jackson's wording without its Java type names and settings, which mean nothing to a client. */
    private static String clean(String message) {
        if (message == null) {
            return "unreadable";
        }
        String text = SOURCE.matcher(message).replaceAll("[");
        text = JACKSON_SETTING.matcher(text).replaceAll("");
        text = QUALIFIED_TYPE.matcher(text).replaceAll("`$1`");
        return CONTROL.matcher(text).replaceAll(" ");
    }

    private static String messageOr(WebApplicationException e, String fallback) {
        String message = e.getMessage();
        // Quarkus' default message only repeats the status line
        return message == null || message.startsWith("HTTP " + e.getResponse().getStatus()) ? fallback : echo(message);
    }

    private static Problem problem(int status, RequestProblem code, String detail) {
        return Problem.of(status, code.title(), code.name(), detail);
    }

    private static String echo(String text) {
        return text == null ? "" : cap(CONTROL.matcher(text).replaceAll(" "), ECHO_LIMIT);
    }

    /** At most {@code limit} characters, the cut marked. */
    static String cap(String text, int limit) {
        if (text.length() <= limit) {
            return text;
        }
        int end = limit - 3;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "...";
    }
}
