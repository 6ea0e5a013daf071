"""The errors newspipe reports as one line: the CLI prints `Error: <message>` and exits non-zero."""


class NewspipeError(Exception):
    """Base of every error the CLI reports without a traceback."""

    exit_code = 1


class UsageError(NewspipeError):
    """The command line asks for something that does not exist (an unknown stage, a bad slice)."""

    exit_code = 2


class ConfigError(NewspipeError):
    """A configuration file or rule pack is missing, unreadable or invalid."""

    exit_code = 2


class MissingInputError(NewspipeError):
    """A stage was asked to run before the stage that makes its input."""

    exit_code = 2


class RawFolderError(NewspipeError):
    """The raw folder is missing or is not a folder."""

    exit_code = 2


class RunFailed(NewspipeError):
    """The run stopped on an unexpected error; its manifest holds the details."""

    exit_code = 1


class DedupIndexError(NewspipeError):
    """A dedup index folder is missing, unreadable, or was built with other settings."""

    exit_code = 2
