"""The report's kernel (roi_kit.report.kernel): where a new kernel's time goes."""

from __future__ import annotations

import nbformat

from roi_kit.report import kernel

__all__: list[str] = []


def test_kernel_start_lasts_until_the_kernel_answers(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")])
    try:
        done = kernel.execute(nb, name="t.ipynb", cwd=str(tmp_path), warm_up="pass")
        again = kernel.execute(
            nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")]),
            name="u.ipynb",
            cwd=str(tmp_path),
            warm_up="pass",
        )
    finally:
        kernel.stop_kernel()
    assert done.nb.cells[0].outputs[0]["text"] == "42\n"
    # ipykernel's own start-up (importing IPython, about a second) is kernel start; the
    # warm-up "pass" then only runs one empty cell, far quicker. Were the start timed to
    # the process launch only, the kernel's start-up would land in the warm-up instead.
    assert done.kernel_start > 0
    assert done.warm_up < done.kernel_start
    # The second notebook reuses the kernel: neither phase again.
    assert again.kernel_start == 0 and again.warm_up == 0
