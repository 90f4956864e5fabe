#!/usr/bin/env bash
# Lands the current branch on main through one gate, one lander at a time.
#
#   scripts/land.sh [test-file ...]        LAND_FULL=1 scripts/land.sh …  runs every unit test
#
# Run from a git worktree whose branch holds committed work (never from the main checkout itself).
# Under a lock shared by every worktree: rebase onto main, then typecheck, lint, the unit tests the change reaches (vitest --changed),
# then the given e2e/rig spec files (tests/**/*.e2e.ts through their runners), then fast-forward main
# and update the main checkout. Anything red leaves main untouched and prints what failed.
set -euo pipefail
# Run from a copy: the rebase below may rewrite this very file.
if [ -z "${LAND_COPY:-}" ]; then
  copy=$(mktemp); cp "$0" "$copy"; LAND_COPY=1 exec bash "$copy" "$@"
fi
branch=$(git rev-parse --abbrev-ref HEAD)
[ "$branch" != main ] || { echo "land: run from a worktree branch, not main" >&2; exit 2; }
[ -z "$(git status --porcelain --untracked-files=no)" ] || { echo "land: commit or stash your changes first" >&2; exit 2; }
common=$(cd "$(git rev-parse --git-common-dir)" && pwd)
main_tree=$(git worktree list --porcelain | awk '/^worktree /{w=$2} /^branch refs\/heads\/main$/{print w}')
[ -n "$main_tree" ] || { echo "land: no worktree has main checked out" >&2; exit 2; }

exec 9>"$common/land.lock"
echo "land: waiting for the lock…"
flock 9
echo "land: rebasing $branch onto main"
git rebase main || { git rebase --abort; echo "land: rebase conflicts; resolve them against main and run again" >&2; exit 1; }

# Worktrees share the main checkout's node_modules (a symlink): a new dependency is added with
# `npm install <pkg>` in the worktree and committed with package.json and package-lock.json.
[ -e node_modules ] || ln -s "$main_tree/node_modules" node_modules
started=$(date +%s)
npm run --silent typecheck
npx eslint --max-warnings 0 .
# The unit tests this branch's changes can reach (vitest's import graph against main); LAND_FULL=1 runs all.
# The whole suite runs in `npm test` (CI), which the coordinator runs on main between landings.
if [ -n "${LAND_FULL:-}" ]; then npx vitest run --reporter=dot; else npx vitest run --reporter=dot --changed main; fi
e2e=(); rig=()
for spec in "$@"; do
  case "$spec" in
    tests/e2e/*) e2e+=("$spec") ;;
    tests/rig/*|tests/phone/*) rig+=("$spec") ;;
    *) echo "land: unknown spec $spec" >&2; exit 2 ;;
  esac
done
if [ ${#e2e[@]} -gt 0 ] || [ ${#rig[@]} -gt 0 ]; then npx electron-vite build >/dev/null; fi
if [ ${#e2e[@]} -gt 0 ]; then node tests/e2e/run.mjs "${e2e[@]}"; fi
if [ ${#rig[@]} -gt 0 ]; then node tests/rig/run.mjs "${rig[@]}"; fi

git -C "$main_tree" diff --quiet && git -C "$main_tree" diff --cached --quiet ||
  { echo "land: the main checkout has uncommitted changes; main not moved" >&2; exit 1; }
git -C "$main_tree" merge --ff-only "$branch"
echo "land: $branch is on main at $(git rev-parse --short HEAD) (gate $(( $(date +%s) - started )) s)"
