"""The steps: one module each, light to import (heavy libraries load inside functions)."""
