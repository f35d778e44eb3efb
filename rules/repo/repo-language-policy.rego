# CCT-REPO-001: the languages of the repository, detected from their build files and sources,
# are those the CCT lists; another language, or PHP, is a note.
#
# input: the repository subject (`files`: the paths of its files).
package cct.repo_language_policy

import rego.v1

# Languages known by a file's name, then by its extension (one lookup per file: a repository
# may list thousands of files).
by_name := {
	"package.json": "JavaScript/TypeScript",
	"pom.xml": "Java", "build.gradle": "Java", "build.gradle.kts": "Java",
	"pyproject.toml": "Python", "setup.py": "Python", "requirements.txt": "Python",
	"go.mod": "Go", "Cargo.toml": "Rust", "Gemfile": "Ruby", "composer.json": "PHP",
	"build.sbt": "Scala", "CMakeLists.txt": "C/C++",
	"pubspec.yaml": "Dart", "Package.swift": "Swift", "mix.exs": "Elixir",
}

by_extension := {
	"c": "C/C++", "cc": "C/C++", "cpp": "C/C++", "cxx": "C/C++", "h": "C/C++", "hpp": "C/C++",
	"csproj": "C#/.NET", "fsproj": "C#/.NET", "vbproj": "C#/.NET", "sln": "C#/.NET",
	"kt": "Kotlin", "cabal": "Haskell",
}

# The languages of the CCT list (TypeScript/Node.js, Python, Java, Ruby, PHP, Go, Rust, Scala, C
# family).
listed := {"JavaScript/TypeScript", "Java", "Python", "Go", "Rust", "Ruby", "PHP", "Scala", "C/C++"}

language_of(name) := by_name[name]

language_of(name) := "Python" if {
	not by_name[name]
	startswith(name, "requirements")
	endswith(name, ".txt")
}

language_of(name) := lang if {
	not by_name[name]
	not startswith(name, "requirements")
	parts := split(name, ".")
	count(parts) > 1
	lang := by_extension[parts[count(parts) - 1]]
}

# Each file's language, by index.
file_language[i] := lang if {
	is_array(input.files)
	some i, path in input.files
	is_string(path)
	segments := split(path, "/")
	lang := language_of(segments[count(segments) - 1])
}

# For each language, the first file that shows it.
found[lang] := min({i | file_language[i] == lang}) if {
	some lang in {l | some l in file_language}
}

deny contains {
	"msg": {
		"en": sprintf("this repository is written in %s (%s), a language outside the CCT list: motivate the choice (maintainability over five years, skills, framework coupling) in the architecture file", [lang, input.files[i]]),
		"fr": sprintf("ce dépôt est écrit en %s (%s), un langage hors de la liste du CCT : motiver ce choix (maintenabilité à cinq ans, compétences, couplage aux frameworks) dans le dossier d'architecture", [lang, input.files[i]]),
	},
	"path": ["files", i],
} if {
	some lang, i in found
	not lang in listed
}

deny contains {
	"msg": {
		"en": sprintf("this repository is written in PHP (%s): its image needs a web server (PHP-FPM behind nginx or Apache) that runs without root on a port above 1024", [input.files[i]]),
		"fr": sprintf("ce dépôt est écrit en PHP (%s) : son image a besoin d'un serveur web (PHP-FPM derrière nginx ou Apache) qui tourne sans root sur un port supérieur à 1024", [input.files[i]]),
	},
	"path": ["files", i],
} if {
	i := found.PHP
}
