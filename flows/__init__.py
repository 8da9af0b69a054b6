"""weckruf flows package."""
