package im.client.cli;

import im.client.sdk.Avatar;
import im.client.sdk.DownloadedBlob;
import im.client.sdk.ImApiException;
import im.client.sdk.UserView;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code im profile ...}: the logged-in user's public profile, as others see it. Not to be confused
 * with {@code --profile}, which picks the local login to use.
 */
@Command(name = "profile", description = "Your public profile as others see it: set-name, set-avatar, remove-avatar, "
        + "avatar.", subcommands = {ProfileCommand.SetName.class, ProfileCommand.SetAvatar.class,
                ProfileCommand.RemoveAvatar.class, ProfileCommand.SaveAvatar.class})
final class ProfileCommand implements Runnable {

    @ParentCommand
    ImCli cli;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say set-name, set-avatar, remove-avatar or avatar");
    }

    @Command(name = "set-name", description = "Change your display name (1..64 characters; `im whoami` shows it).")
    static final class SetName implements Callable<Integer> {

        @ParentCommand
        ProfileCommand parent;

        @Parameters(index = "0", paramLabel = "DISPLAY_NAME")
        String displayName;

        @Override
        public Integer call() {
            ImCli cli = parent.cli;
            Session session = Session.require(cli);
            UserView me;
            try {
                me = session.withToken(token -> session.rest().updateDisplayName(token, displayName));
            } catch (ImApiException e) {
                if (e.getStatus() == 400) {
                    throw new CliException("cannot set that name: " + e.getDetail());
                }
                throw e;
            }
            cli.context().out().println("display name is now \"" + MessageLines.printable(me.displayName()) + "\"");
            return 0;
        }
    }

    @Command(name = "set-avatar", description = "Make an image (PNG, JPEG or GIF, at most 5 MiB) your avatar; anyone "
            + "signed in can see it.")
    static final class SetAvatar implements Callable<Integer> {

        @ParentCommand
        ProfileCommand parent;

        @Parameters(index = "0", paramLabel = "IMAGE")
        Path image;

        @Override
        public Integer call() {
            if (!Files.isRegularFile(image)) {
                throw new CliException("no such file: " + image);
            }
            Session session = Session.require(parent.cli);
            Avatar avatar;
            try {
                avatar = session.withToken(token -> session.rest().setAvatar(token, image, SendCommand.typeOf(image)));
            } catch (ImApiException e) {
                throw new CliException("cannot make " + image.getFileName() + " your avatar: "
                        + SendCommand.uploadFailure(e), e);
            }
            parent.cli.context().out().println("avatar is now " + MessageLines.printable(String.valueOf(image.getFileName()))
                    + " (" + avatar.width() + "x" + avatar.height() + ")");
            return 0;
        }
    }

    @Command(name = "remove-avatar", description = "Show no avatar any more.")
    static final class RemoveAvatar implements Callable<Integer> {

        @ParentCommand
        ProfileCommand parent;

        @Override
        public Integer call() {
            Session session = Session.require(parent.cli);
            session.withToken(token -> session.rest().removeAvatar(token));
            parent.cli.context().out().println("avatar removed");
            return 0;
        }
    }

    @Command(name = "avatar", description = "Save a user's avatar (yours without USERNAME) to a file.")
    static final class SaveAvatar implements Callable<Integer> {

        @ParentCommand
        ProfileCommand parent;

        @Parameters(index = "0", paramLabel = "USERNAME", arity = "0..1")
        String username;

        @Option(names = "--thumbnail", description = "The small copy (at most 320x320) instead of the image.")
        boolean thumbnail;

        @Option(names = {"-o", "--output"}, paramLabel = "PATH", description = "Where to save it (default: "
                + "avatar-USERNAME in the current directory); replaced if it exists.")
        Path output;

        @Override
        public Integer call() {
            Session session = Session.require(parent.cli);
            UserView user = username == null ? session.withToken(token -> session.rest().me(token)) : session.user(username);
            String blobId = thumbnail && user.avatarThumbnailBlobId() != null ? user.avatarThumbnailBlobId()
                    : user.avatarBlobId();
            if (blobId == null) {
                throw new CliException(user.username() + " has no avatar");
            }
            Path target = output != null ? output : Path.of("avatar-" + user.username());
            DownloadedBlob saved = session.withToken(token ->
                    session.rest().downloadAvatar(token, user.userId(), blobId, target));
            parent.cli.context().out().println("saved " + saved.file() + " (" + saved.mimeType() + ", " + saved.size()
                    + " bytes)");
            return 0;
        }
    }
}
