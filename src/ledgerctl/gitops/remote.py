"""Talking to the shared remote for `sync`: upstream, fetch, merge, push."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.errors import EnvironmentProblem, UsageError
from .repo import GitRepo


@dataclass(frozen=True)
class Upstream:
    branch: str  # the local branch, e.g. main
    remote: str  # e.g. origin
    merge_ref: str  # the remote's branch, e.g. refs/heads/main
    tracking: str  # the local copy of it, e.g. refs/remotes/origin/main

    @property
    def name(self) -> str:
        return self.tracking.removeprefix("refs/remotes/")


def _config(repo: GitRepo, key: str) -> str | None:
    status, out, _ = repo.run_status("config", "--get", key)
    return out.strip() if status == 0 and out.strip() else None


def upstream(repo: GitRepo) -> Upstream:
    """The current branch's upstream, or a usage error that says how to set one."""
    status, out, _ = repo.run_status("symbolic-ref", "-q", "--short", "HEAD")
    branch = out.strip()
    if status != 0 or not branch:
        raise UsageError(
            "HEAD is not on a branch (detached), so there is nothing to sync",
            hint="check out your branch first, e.g. `git switch main`",
        )
    remote = _config(repo, f"branch.{branch}.remote")
    merge_ref = _config(repo, f"branch.{branch}.merge")
    if remote is None or merge_ref is None or remote == "." or remote.startswith("-"):
        remotes = repo.run("remote").split()
        if not remotes:
            hint = f"add the shared remote and push once: `git remote add origin URL && git push -u origin {branch}`"
        else:
            hint = f"set it once: `git push -u {remotes[0]} {branch}` (or `git branch --set-upstream-to={remotes[0]}/{branch}`)"
        raise UsageError(f"branch {branch} has no upstream to sync with", hint=hint)
    status, out, _ = repo.run_status("rev-parse", "--symbolic-full-name", "@{upstream}")
    tracking = (
        out.strip() if status == 0 and out.strip() else f"refs/remotes/{remote}/{merge_ref.removeprefix('refs/heads/')}"
    )
    return Upstream(branch, remote, merge_ref, tracking)


def _network_failure(what: str, remote: str, stderr: str) -> EnvironmentProblem:
    detail = " ".join(line.strip() for line in stderr.strip().splitlines() if line.strip()) or "no answer"
    return EnvironmentProblem(
        f"could not {what} {remote}: {detail}",
        hint="check the network, the remote's address (`git remote -v`) and your access to it",
    )


CLOSED_TAGS = "refs/tags/closed/*:refs/tags/closed/*"  # never forced: a closed tag never moves


def fetch(repo: GitRepo, up: Upstream) -> None:
    """The remote's branches (as configured) and every closed/* tag, even those on commits not fetched."""
    configured = repo.run("config", "--get-all", f"remote.{up.remote}.fetch", check=False).split()
    refspecs = configured or [f"+{up.merge_ref}:{up.tracking}"]
    # Not --quiet: it would hide which tag was refused; the progress lines are captured, not shown.
    status, _, err = repo.run_status("fetch", "--no-progress", up.remote, *refspecs, CLOSED_TAGS)
    if status == 0:
        return
    clashes = re.findall(r"(closed/\S+)\s+->\s+\S+\s+\(would clobber existing tag\)", err)
    if clashes:
        raise EnvironmentProblem(
            f"{up.remote}'s tag {clashes[0]} points to another commit than yours; closed tags "
            "never move, so the remote's is the one on record",
            hint=f"compare them (`git ls-remote {up.remote} {clashes[0]}`, `git show-ref "
            f"{clashes[0]}`); if yours was made by hand: `git tag -d {clashes[0]}`, then sync again",
        )
    raise _network_failure(
        "fetch from", up.remote, "\n".join(line for line in err.splitlines() if not line.startswith(" "))
    )


def resolve(repo: GitRepo, ref: str) -> str | None:
    status, out, _ = repo.run_status("rev-parse", "-q", "--verify", f"{ref}^{{commit}}")
    return out.strip() if status == 0 and out.strip() else None


def count(repo: GitRepo, revision_range: str) -> int:
    return int(repo.run("rev-list", "--count", revision_range) or 0)


def merge(repo: GitRepo, ref: str, message: str) -> tuple[int, str]:
    """Merge ``ref`` into HEAD (fast-forward when possible); (exit status, git's messages)."""
    status, out, err = repo.run_status("merge", "--no-edit", "-m", message, ref)
    return status, (out + err).strip()


def merge_in_progress(repo: GitRepo) -> bool:
    return bool(repo.run("rev-parse", "-q", "--verify", "MERGE_HEAD", check=False))


def unmerged_paths(repo: GitRepo) -> list[str]:
    out = repo.run("diff", "--name-only", "--diff-filter=U", "-z", strip=False)
    return sorted(p for p in out.split("\0") if p)


def abort_merge(repo: GitRepo) -> None:
    repo.run("merge", "--abort")


def reset_to(repo: GitRepo, commit: str) -> None:
    """Move the branch back to ``commit``, keeping (refusing to lose) uncommitted work."""
    repo.run("reset", "-q", "--keep", commit)


def has_closed_tags(repo: GitRepo) -> bool:
    return bool(repo.run("tag", "--list", "closed/*"))


def push(repo: GitRepo, up: Upstream, *, branch: bool = True) -> list[str]:
    """Push HEAD (unless ``branch`` is false) and the closed/* tags the remote lacks; returns the tags it created."""
    refspecs = ([f"HEAD:{up.merge_ref}"] if branch else []) + [CLOSED_TAGS]
    status, out, err = repo.run_status("push", "--porcelain", up.remote, *refspecs)
    if status == 0:
        # porcelain: "<flag>\t<from>:<to>\t<summary>", flag "*" for a ref the remote did not have
        return [
            line.split("\t")[1].split(":")[-1].removeprefix("refs/tags/")
            for line in out.splitlines()
            if line.startswith("*\t") and ":refs/tags/" in line
        ]
    text = out + err
    remote_lines = [line.removeprefix("remote:").strip() for line in text.splitlines() if line.startswith("remote:")]
    if "[rejected]" in text or "[remote rejected]" in text or remote_lines:
        reason = "; ".join(line for line in remote_lines if line) or "the remote refused the update"
        hint = (
            "someone pushed in the meantime: run `ledgerctl sync` again"
            if "fetch first" in text or "non-fast-forward" in text
            else "the remote's hooks refused these commits; see its messages above"
        )
        raise EnvironmentProblem(f"{up.remote} rejected the push: {reason}", hint=hint)
    raise _network_failure("push to", up.remote, err)
