package io.starconsole.cli;

/** The help text ({@code help}, {@code ?}, or no command outside a terminal). */
final class Help {

    private Help() {
    }

    static String text() {
        StringBuilder text = new StringBuilder("""
                usage: star-console [--url URL] [--user NAME] [--interactive] [COMMAND ...]
                  no COMMAND in a terminal (or --interactive): the star-console> prompt
                  password: STAR_CONSOLE_PASSWORD, or asked without echo

                user commands (<spn-ip>: a box's SPN IP, 0.0.0.0 for all boxes, or group:<name>)
                  options: --high (priority), --wait (until done; per-box results), --expires-in 30m
                """);
        for (UserCommand command : UserCommand.values()) {
            text.append("  ").append(command.usage()).append('\n');
        }
        text.append("""

                console
                  boxes [--group G] [--online] [--q TEXT]   list boxes
                  commands [--state STATE]                  list commands
                  status <command-id>                       a command and its per-box deliveries
                  login | logout | help | ? | quit

                exit codes: 0 ok, 1 failed on a box or API error, 2 usage, 3 authentication, 4 console unreachable
                """);
        return text.toString();
    }
}
