package im.client.cli;

import im.client.sdk.FriendView;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "friends", description = "List your friends.")
final class FriendsCommand implements Callable<Integer> {

    @ParentCommand
    ImCli cli;

    @Override
    public Integer call() {
        Session session = Session.require(cli);
        List<FriendView> friends = session.withToken(token -> session.rest().friends(token));
        if (friends.isEmpty()) {
            cli.context().out().println("no friends yet: `im friend add <username>`");
        }
        for (FriendView f : friends) {
            cli.context().out().println(f.username() + "  " + f.displayName() + " (id " + f.userId() + ")"
                    + (f.remark() == null ? "" : "  \"" + f.remark() + "\""));
        }
        return 0;
    }
}
