"""An unscoped read where a user's request is answered stands out: in views, the portal, selectors, reports and the
import engine, a scoped model is read through `Model.objects.for_user(user)`, or the line says why not (a comment
starting `# jurisdiction:` on it or just above it — for review to weigh)."""

import ast
from pathlib import Path

import taavon

SRC = Path(taavon.__file__).parent
SCOPED = {
    "Cooperative",
    "StatusChange",
    "Project",
    "Facility",
    "StageChange",
    "Person",
    "Membership",
    "Contribution",
    "Officer",
    "GeneralAssembly",
    "AnnualReturn",
    "Proposal",
    "ImportBatch",
    "Request",
    "Case",
    "Visit",
    "Finding",
    "Action",
    "Photo",
    "Event",
    "Exhibition",
    "Booth",
    "Candidate",
    "ComputedScore",
    "JuryScore",
    "Ranking",
    "Appeal",
}
MODULES = sorted(
    {
        *SRC.glob("*/views.py"),
        *SRC.glob("*/*_views.py"),
        *SRC.glob("*/selectors.py"),
        *SRC.glob("*/*_selectors.py"),
        *SRC.glob("*/*contributions.py"),
        SRC / "visits" / "field.py",
        SRC / "visits" / "panels.py",
        SRC / "visits" / "figures.py",
        *SRC.glob("*/portal.py"),
        *SRC.glob("*/contributions.py"),
        *SRC.glob("*/proposals.py"),
        *SRC.glob("reports/*.py"),
        SRC / "imports" / "engine.py",
        SRC / "imports" / "related.py",
        SRC / "imports" / "matching.py",
        SRC / "imports" / "services.py",
    }
)


def unscoped_reads(path: Path, root: Path = SRC) -> list[str]:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    found = []
    for node in ast.walk(ast.parse(text)):
        # Model.objects.<method>(...) with a method other than for_user
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "objects"
            and isinstance(node.value.value, ast.Name)
            and node.value.value.id in SCOPED
            and node.attr not in ("for_user", "none")
        ):
            around = lines[max(0, node.lineno - 3) : node.lineno]
            if not any("# jurisdiction:" in line for line in around):
                found.append(
                    f"{path.relative_to(root)}:{node.lineno}: {node.value.value.id}.objects.{node.attr}"
                )
    return found


def test_reads_for_a_user_go_through_the_gate():
    assert len(MODULES) > 10
    problems = [p for module in MODULES for p in unscoped_reads(module)]
    assert not problems, (
        "unscoped reads (use .for_user(user), or say why with '# jurisdiction:'):\n" + "\n".join(problems)
    )


def test_the_check_finds_an_unscoped_read(tmp_path):
    module = tmp_path / "views.py"
    module.write_text(
        "def v(request):\n"
        "    a = Cooperative.objects.get(pk=1)\n"
        "    b = Cooperative.objects.for_user(request.user).get(pk=1)\n"
        "    # jurisdiction: the public figures\n"
        "    c = Project.objects.all()\n",
        encoding="utf-8",
    )
    assert unscoped_reads(module, tmp_path) == ["views.py:2: Cooperative.objects.get"]
