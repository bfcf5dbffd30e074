"""Common French first names, as the folded text reads them (domain.plain_text): one followed by
a word that is not a function word is a person's name, whatever the case ("pierre martin").

Names that are everyday words are left out (France, Marine, Rose, Olive, Claire, Blanche,
Victoire, Constance, Fleur, Ambre, Jade, Charlotte, Madeleine, Martial, Noël...): "une rose
blanche" names nobody. A net, not a register.
"""

from domain.plain_text import folded_words

FIRST_NAMES = folded_words(
    # women
    """Adèle Agathe Agnès Alexandra Alice Aline Alix Amandine Amélie Amina Anaïs Andrée Angélique
    Anna Anne Annick Annie Audrey Aurélie Axelle Béatrice Bernadette Brigitte Camille Carine
    Carole Caroline Catherine Cécile Céline Chantal Chloé Christelle Christiane Christine Claudine
    Clara Colette Coralie Corinne Cynthia Danielle Delphine Denise Diane Dominique Edith Éléonore
    Élisabeth Élise Ella Elsa Émilie Emma Enora Estelle Éva Évelyne Fabienne Fanny Fatima Florence
    Françoise Gaëlle Geneviève Georgette Géraldine Germaine Ginette Gisèle Gwenaëlle Hélène
    Huguette Inès Irène Isabelle Jacqueline Jeanne Jeannine Jocelyne Joëlle Josette Josiane Julia
    Julie Juliette Justine Karima Karine Katell Laetitia Laura Laure Laurence Léa Leila Léna Liliane
    Lina Lisa Lise Louise Lucie Lucienne Lydie Magali Maëlle Maïwenn Manon Marcelle
    Margaux Margot Maria Marianne Marie Marion Marlène Martine Maryse Maryvonne Mathilde Maud
    Mélanie Mélissa Michèle Micheline Mireille Monique Morgane Muriel Myriam Nadège Nadia Nadine
    Nathalie Nicole Nina Noémie Nolwenn Océane Odette Odile Pascale Patricia Paule Paulette
    Pauline Rachel Régine Renée Romane Rozenn Sabine Sabrina Samia Sandra Sandrine Sarah Séverine
    Simone Soizic Solène Sonia Sophie Stéphanie Suzanne Sylvie Sylviane Thérèse Valérie Vanessa
    Véronique Virginie Yasmine Yvette Yvonne Zoé"""
    # men
    """ Adrien Ahmed Alain Albert Alexandre Alexis Alfred André Antoine Armand Arnaud Arthur
    Aurélien Baptiste Bastien Benjamin Benoît Bernard Bertrand Brieuc Bruno Cédric Charles Christian
    Christophe Claude Clément Corentin Cyril Damien Daniel David Denis Didier Dimitri Dylan Édouard
    Emmanuel Enzo Éric Erwan Ethan Étienne Fabien Fabrice Fernand Florian Francis Franck François
    Frédéric Gabriel Gaël Gaëtan Gaston Georges Gérard Gilbert Gilles Goulven Grégoire Grégory
    Guillaume Gwendal Gwénolé Henri Hervé Hugo Hugues Jacques Jean Jérémy Jérôme Joël Jonathan
    Jordan Joseph Jules Julien Karim Kévin Killian Laurent Léo Léon Lionel Loïc Louis Luc Lucas
    Lucien Ludovic Maël Malo Marc Marcel Marius Martin Mathieu Mathis Matthieu Maurice Maxime
    Mehdi Michel Mickaël Mohamed Nabil Nathan Nicolas Noah Olivier Pascal Patrice Patrick Paul
    Philippe Pierre Quentin Rachid Raphaël Raymond Régis Rémi René Robert Roger Romain Ronan Samir
    Samuel Sébastien Serge Simon Sofiane Stéphane Sylvain Tanguy Théo Thibault Thierry Thomas Tom
    Tristan Valentin Vincent William Xavier Yacine Yann Yannick Youenn Yves Yvon"""
)
