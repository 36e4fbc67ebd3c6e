/** The plan `orchard demo` runs: two batches, six tasks, one explicit dependency, checks that run. */
export const DEMO_PLAN = `# Greeter: Demo Implementation Plan

**Goal:** A tiny Python greeting library with tests and docs, built by parallel agents.

**Architecture:** \`greeter/\` holds the library; \`tests/\` its tests; \`docs/\` the usage guide.

## Batch 1: Library

**Dependencies:** None
**Execution Mode:** parallel

### Task 1.1: Greeting function

**Files:**
- Create: \`greeter/greet.py\`

**Implementation:**
Create \`greeter/greet.py\`:
\`\`\`python
def greet(name: str) -> str:
    """Return a friendly greeting."""
    return f"Hello, {name}!"
\`\`\`

**Verification:**
- \`grep -q "def greet" greeter/greet.py\`

**Commit:** Add greet()

### Task 1.2: Farewell function

**Files:**
- Create: \`greeter/farewell.py\`

**Implementation:**
Create \`greeter/farewell.py\`:
\`\`\`python
def farewell(name: str) -> str:
    """Return a polite goodbye."""
    return f"Goodbye, {name}."
\`\`\`

**Verification:**
- \`grep -q "def farewell" greeter/farewell.py\`

**Commit:** Add farewell()

### Task 1.3: Package marker

**Files:**
- Create: \`greeter/__init__.py\`

**Implementation:**
Create \`greeter/__init__.py\`:
\`\`\`python
from .greet import greet
from .farewell import farewell

__all__ = ["greet", "farewell"]
\`\`\`

**Commit:** Make greeter a package

## Batch 2: Tests and docs

**Dependencies:** Batch 1

### Task 2.1: Tests

**Files:**
- Create: \`tests/test_greeter.py\`

**Implementation:**
Create \`tests/test_greeter.py\`:
\`\`\`python
from greeter import farewell, greet


def test_greet():
    assert greet("Ada") == "Hello, Ada!"


def test_farewell():
    assert farewell("Ada") == "Goodbye, Ada."
\`\`\`

**Verification:**
- \`test -f greeter/greet.py\`

**Commit:** Test greet() and farewell()

### Task 2.2: Usage guide

**Files:**
- Create: \`docs/usage.md\`

**Implementation:**
Create \`docs/usage.md\`:
\`\`\`markdown
# Using greeter

    from greeter import greet
    print(greet("world"))
\`\`\`

**Commit:** Document usage

### Task 2.3: Changelog

**Depends on:** Task 2.1

**Files:**
- Create: \`CHANGELOG.md\`

**Implementation:**
Create \`CHANGELOG.md\`:
\`\`\`markdown
# Changelog

## 0.1.0
- greet() and farewell(), with tests.
\`\`\`

**Verification:**
- \`test -f tests/test_greeter.py\`

**Commit:** Start the changelog
`;
