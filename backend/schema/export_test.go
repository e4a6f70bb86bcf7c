package schema

// GoField is goField, for the tests.
var GoField = goField
