"""weckruf warehouse package."""
