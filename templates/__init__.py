"""sdkgen's built-in templates, shipped as the package data `generator.templates` (see generator/resources.py).

`sdk/*.j2`: the Jinja templates of the generated package; `runtime/*.py`: modules copied verbatim into it.
"""
