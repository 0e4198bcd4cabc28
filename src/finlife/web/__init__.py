"""The shared design system: base templates, components, CSS and a little JavaScript."""
