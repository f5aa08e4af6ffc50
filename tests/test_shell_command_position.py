"""Which word of a shell command line is the command run: the prefixes and reserved words that
come before it, and the arguments that only look like it."""

from __future__ import annotations

import pytest

from modernize.formats.shell import in_command_position


@pytest.mark.parametrize(
    "before",
    [
        "",
        "\t@",
        "if ",
        "while ! ",
        "until ",
        "! ",
        "echo up; then ",
        "elif ",
        "timeout 60 ",
        "timeout -s KILL 60 ",
        "timeout --signal=KILL --preserve-status 2m ",
        "xargs ",
        "xargs -r -n 1 ",
        "xargs -0 -I {} ",
        "sudo -E ",
        "sudo -u deploy --preserve-env ",
        "sudo -- ",
        "env X=1 ",
        "env -i -u DOCKER_HOST PROFILE=dev ",
        "COMPOSE_FILE=a.yml ",
        "nohup ",
        "exec ",
        "exec -a compose ",
        "nice -n 10 ",
        "time ",
        "time -p ",
        "command ",
        "sudo -E env X=1 timeout 30 ",
        "printf 'a\\n' | xargs ",
        "true && ",
        "$(shell ",
    ],
)
def test_the_next_word_is_the_command(before: str) -> None:
    assert in_command_position(before)


@pytest.mark.parametrize(
    "before",
    [
        "echo if ",
        "echo while ! ",
        "pip install ",
        "sudo apt-get install -y ",
        "timeout ",  # the word is timeout's duration
        "timeout -s KILL ",
        "xargs -n ",  # the word is -n's count
        "xargs -I {} cp {} ",
        "sudo -u ",  # the word is the user
        "env -u ",
        "nice -n ",
        "env | grep ",
        "chmod +x ",
        "nohup ./watch.sh ",
        'echo "',
    ],
)
def test_the_next_word_is_an_argument(before: str) -> None:
    assert not in_command_position(before)
