package im.client.cli;

import im.client.sdk.UserView;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "whoami", description = "Show the logged-in user.")
final class WhoamiCommand implements Callable<Integer> {

    @ParentCommand
    ImCli cli;

    @Override
    public Integer call() {
        Session session = Session.require(cli);
        UserView me = session.withToken(token -> session.rest().me(token));
        cli.context().out().println(me.username() + " (id " + me.userId() + ", " + me.displayName() + ") on "
                + session.server() + ", device " + session.profile().deviceId());
        return 0;
    }
}
