"""README.md's Python section runs as written (so that it cannot rot)."""

import os
import re

from conftest import REPO, run_python


def test_readme_python_section(tmp_path):
    readme = open(os.path.join(REPO, "README.md")).read()
    section = readme.split("\n## Python\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert blocks, "README.md's Python section has no python block"
    script = tmp_path / "readme.py"
    script.write_text("".join(blocks))
    done = run_python(script)
    assert done.returncode == 0, done.stderr
